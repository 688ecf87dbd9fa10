// Issue 12.1 in a real browser against a real server process: a tablet of the organisation pushes changes to every
// built-in guide — scam text, a data: picture, a step put into each guide, a guide claiming to be built-in, an own
// guide taking each built-in guide's address. Another tablet of the organisation syncs, and its participant viewer
// still shows the shipped text and picture of every built-in step, in Finnish, Swedish and English.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { builtinGuides } from '../../../src/guides/content';
import { builtinGuideId, builtinStepId, PROTOCOL_HEADER, PROTOCOL_VERSION, serializeHlc, type EnrolResponse, type PushResponse } from '../../../src/protocol';
import { createEnrolmentCode } from '../../../src/server/admin';
import type { Store } from '../../../src/server/store';
import { openSqliteStore } from '../../../src/server/store/sqlite-store';
import { startServerProcess, type ServerProcess } from '../../server/support/process';
import { heading, setUpFirstAdmin, unlock } from '../lock/support';
import { it } from '../support/fixtures';
import { newTablet, waitForServiceWorker } from '../support/harness';
import { BUILD_A, E2E_DIR } from '../support/paths';

const PIN = '482916';
const LANGS = ['fi', 'sv', 'en'] as const;
const SCAM = 'Kela on muuttanut ohjetta: soita heti 0700 123 456 ja kerro pankkitunnuksesi.';
const PICTURE = '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300"><text y="40">Maksa tästä</text></svg>';
const DATA_SVG = `data:image/svg+xml;base64,${Buffer.from(PICTURE).toString('base64')}`;

let root: string;
let server: ServerProcess;
let store: Store;
let firstCode = '';
let tablet: { context: BrowserContext; page: Page };

/** Every change a token of the organisation could push to make built-in guides say something else. */
function attackMutations(): { table: string; id: string; fields: Record<string, unknown>; refused: boolean }[] {
  const changes: { table: string; id: string; fields: Record<string, unknown>; refused: boolean }[] = [];
  for (const guide of builtinGuides) {
    for (const lang of LANGS) {
      const guideId = builtinGuideId(guide.slug, lang);
      changes.push({ table: 'guides', id: guideId, fields: { title: `${guide.title[lang]} (päivitetty)`, summary: SCAM, source: 'org' }, refused: true });
      guide.steps.forEach((_, index) => {
        changes.push({
          table: 'guideSteps',
          id: builtinStepId(guideId, index + 1),
          fields: index === 1 ? { deleted: 1 } : { text: SCAM, imageUrl: DATA_SVG },
          refused: true,
        });
      });
      changes.push({
        table: 'guideSteps',
        id: `inject-${guide.slug}-${lang}`,
        fields: { guideId, orderKey: '0', kind: 'warning', text: SCAM, alt: '', deleted: 0 },
        refused: true,
      });
      const own = { slug: guide.slug, lang, title: guide.title[lang], summary: SCAM, category: guide.category, tags: [], version: 1, deleted: 0 };
      changes.push({ table: 'guides', id: `fake-${guide.slug}-${lang}`, fields: { ...own, source: 'builtin' }, refused: true });
      // An own guide may have any words, but it never stands in for the app's guide at the app guide's address.
      changes.push({ table: 'guides', id: `0000shadow-${guide.slug}-${lang}`, fields: { ...own, source: 'org' }, refused: false });
    }
  }
  return changes;
}

async function enrolAttacker(code: string): Promise<EnrolResponse> {
  const response = await fetch(`${server.url}/v1/enrol`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) },
    body: JSON.stringify({ code, deviceName: 'Toimiston tabletti' }),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as EnrolResponse;
}

beforeAll(async () => {
  root = mkdtempSync(join(E2E_DIR, 'builtin-'));
  cpSync(BUILD_A, join(root, 'www'), { recursive: true });
  server = await startServerProcess({ DATA_DIR: join(root, 'data'), STATIC_DIR: join(root, 'www') }, { until: /Enrolment code for one tablet/ });
  firstCode = /Enrolment code for one tablet: (\S+)/.exec(server.output())?.[1] ?? '';
  store = await openSqliteStore(join(root, 'data')); // the administrator's view of the same SQLite file
  expect(firstCode).not.toBe('');
});
afterAll(async () => {
  await tablet?.context.close();
  await server?.stop();
  await store?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('built-in guides are the app’s', () => {
  it('a tablet of the organisation pushes changes to every built-in guide: the server refuses each one', async () => {
    const site = (await store.listSites())[0]!;
    const attacker = await enrolAttacker((await createEnrolmentCode(store, site.id)).code);
    const changes = attackMutations();
    let mutationId = 0;
    const quarantined: PushResponse['quarantined'] = [];
    for (let start = 0; start < changes.length; start += 400) {
      const mutations = changes.slice(start, start + 400).map((change) => {
        mutationId += 1;
        return {
          mutationId,
          table: change.table,
          id: change.id,
          hlc: serializeHlc({ wallMs: Date.now(), counter: mutationId, node: 'toimisto' }),
          fields: change.fields,
        };
      });
      const response = await fetch(`${server.url}/v1/push`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${attacker.token}`, [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) },
        body: JSON.stringify({ protocol: 1, mutations }),
      });
      expect(response.status).toBe(200);
      quarantined.push(...((await response.json()) as PushResponse).quarantined);
    }
    const refusedIds = new Set(changes.map((change, index) => (change.refused ? index + 1 : 0)).filter(Boolean));
    expect(quarantined.map((q) => q.mutationId).sort((a, b) => a - b)).toEqual([...refusedIds].sort((a, b) => a - b));
    expect(new Set(quarantined.map((q) => q.reason))).toEqual(new Set(['builtin_guide_is_read_only']));
  }, 120_000);

  it('another tablet syncs, and its participant viewer shows the shipped text and picture of every built-in step', async ({ browser }) => {
    tablet = await newTablet(browser);
    const { page } = tablet;
    // Every picture or script the page's security policy blocked, kept across page loads.
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        const seen = JSON.parse(sessionStorage.getItem('cspViolations') ?? '[]') as string[];
        sessionStorage.setItem('cspViolations', JSON.stringify([...seen, `${event.violatedDirective} ${event.blockedURI}`]));
      });
    });
    await page.goto(server.url);
    await waitForServiceWorker(page);
    await setUpFirstAdmin(page, server.url, 'Ohjaaja', PIN);
    await page.goto(`${server.url}/enrol?code=${encodeURIComponent(firstCode)}`);
    await unlock(page, PIN);
    await heading(page, 'Synkronointi');
    await page.getByLabel('Tabletin nimi').fill('Olohuone');
    await page.getByRole('button', { name: 'Liitä tabletti' }).click();
    await page.getByText(/Tabletti kuuluu: /).waitFor();
    // The pull has run once the organisation's own guides are here.
    await page.waitForFunction(
      async (expected) => {
        const database = await new Promise<IDBDatabase>((resolve, reject) => {
          const request = indexedDB.open('digituki');
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
        const ids = await new Promise<IDBValidKey[]>((resolve) => {
          const request = database.transaction('guides').objectStore('guides').getAllKeys();
          request.onsuccess = () => resolve(request.result);
        });
        database.close();
        return ids.filter((id) => String(id).startsWith('0000shadow-')).length === expected;
      },
      builtinGuides.length * LANGS.length,
      { timeout: 60_000, polling: 500 },
    );

    const labels = { fi: 'Suomi', sv: 'Svenska', en: 'English' } as const;
    for (const lang of LANGS) {
      await page.goto(`${server.url}/settings`);
      await page.getByRole('radio', { name: labels[lang] }).check();
      await page.waitForFunction((language) => document.documentElement.lang === language, lang);
      await page.goto(server.url);
      await page.locator('h1').first().waitFor();
      const expected = builtinGuides.map((guide) => ({ slug: guide.slug, title: guide.title[lang], texts: guide.steps.map((step) => step.text[lang]) }));
      // Walks every step inside the page (a Playwright round trip per step would take minutes on a busy machine).
      const problems = await page.evaluate(async (guides) => {
        const found: string[] = [];
        const until = async (test: () => boolean, ms = 5_000) => {
          const end = Date.now() + ms;
          while (!test() && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 20));
          return test();
        };
        walk: for (const guide of guides) {
          for (let n = 1; n <= guide.texts.length; n += 1) {
            if (found.length >= 5) break walk; // enough to show what is wrong, without waiting out every step
            history.pushState(null, '', `/guides/${guide.slug}/${n}`);
            window.dispatchEvent(new PopStateEvent('popstate'));
            const text = () => document.querySelector('.step-text')?.textContent ?? '';
            const nav = () => document.querySelector('.step-nav')?.getAttribute('aria-label') ?? '';
            if (!(await until(() => text() === guide.texts[n - 1] && nav().endsWith(` ${guide.texts.length}`)))) {
              found.push(`${guide.slug} ${n}: "${text().slice(0, 60)}" (${nav()})`);
              continue;
            }
            const picture = () => document.querySelector<HTMLImageElement>('img.step-picture');
            if (!(await until(() => !!picture()?.complete && picture()!.naturalWidth > 0))) found.push(`${guide.slug} ${n}: picture not shown`);
            else if (!new URL(picture()!.src).pathname.startsWith('/assets/')) found.push(`${guide.slug} ${n}: picture from ${picture()!.src.slice(0, 40)}`);
          }
        }
        return found;
      }, expected);
      expect(problems, `built-in steps in ${lang}`).toEqual([]);
      expect(await page.evaluate(() => document.title + document.body.textContent)).not.toContain('0700 123 456');
    }
    expect(await page.evaluate(() => JSON.parse(sessionStorage.getItem('cspViolations') ?? '[]') as string[])).toEqual([]);
  }, 300_000);
});
