// Issue 13 item 1 in real Chromium with its profile on disk, as a thief would find it: after setting up, enrolling,
// writing logs with notes and locking, no file of the browser profile holds a note (UTF-8 or UTF-16), the PIN, or
// the bearer value the tablet sent; after a new start and the PIN the notes read as before. A note written while
// unlocked reaches the server (the administrator's export shows it in clear) though the tablet was locked before the
// sync could run; no other tablet ever gets it back.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect } from 'vitest';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { createEnrolmentCode, createOrganisation, createSite } from '../../../src/server/admin';
import { runCommand } from '../../../src/server/cli';
import { axeViolations } from '../support/axe';
import { CHROMIUM_ARGS, findChromium } from '../support/chromium';
import { it as base } from '../support/fixtures';
import type { AppUnderTest } from '../support/harness';
import { E2E_DIR } from '../support/paths';
import { heading, setUpFirstAdmin, TEXT, unlock } from './support';

const PIN = '730581';
const NOTES = ['Harjoiteltiin Kelan liitettä, seuraavaksi pankkitunnukset (Ölandia 4417)', 'Övningsrunda med BankID – nästa gång Omakanta 9023'];

const it = base
  // The tablets' organisation and site on the file's server.
  .extend('place', { scope: 'file' }, async ({ app }) => {
    const orgId = (await createOrganisation(app.server.store, 'Helsingin Digituki')).id;
    return { orgId, siteId: (await createSite(app.server.store, orgId, 'Päiväkeskus Kallio')).id };
  })
  // A folder for the browser profiles (and the export), removed after the file.
  // biome-ignore lint/correctness/noEmptyPattern: Vitest reads a fixture's dependencies from this pattern; it has none.
  .extend('root', { scope: 'file' }, ({}, { onCleanup }) => {
    const root = mkdtempSync(join(E2E_DIR, 'profile-'));
    onCleanup(() => rmSync(root, { recursive: true, force: true }));
    return root;
  });

/** A Chromium whose profile (IndexedDB, caches, service worker, preferences) is a folder on disk, like a tablet's. */
async function openBrowser(profileDir: string): Promise<{ context: BrowserContext; page: Page; bearers: Set<string> }> {
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: findChromium(),
    args: CHROMIUM_ARGS,
    viewport: { width: 1024, height: 768 },
    serviceWorkers: 'allow',
    locale: 'fi-FI',
  });
  const bearers = new Set<string>();
  // Every Authorization value the tablet sends, from the page or its service worker.
  context.on('request', (request) => {
    const value = request.headers().authorization;
    if (value) bearers.add(value.replace(/^Bearer\s+/i, ''));
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (error) => console.error('page error:', error.message));
  return { context, page, bearers };
}

async function enrol(page: Page, app: AppUnderTest, siteId: string): Promise<void> {
  const { code } = await createEnrolmentCode(app.server.store, siteId);
  await page.goto(`${app.url}/instructor/sync`);
  await unlock(page, PIN);
  await heading(page, 'Synkronointi');
  await page.getByLabel('Liittämiskoodi').fill(code);
  await page.getByLabel('Tabletin nimi').fill('Olohuone');
  await page.getByRole('button', { name: 'Liitä tabletti' }).click();
  await page.getByText(/Tabletti kuuluu: /).waitFor();
}

/** Writes a log through the form. `unlocked`: move there inside the app (offline, a new page load would need the network to be cached). */
async function writeLogWithNote(page: Page, app: AppUnderTest, note: string, unlocked = false): Promise<void> {
  if (unlocked) {
    await page.evaluate(() => {
      history.pushState(null, '', '/instructor/sessions/new');
      window.dispatchEvent(new PopStateEvent('popstate'));
    });
  } else {
    await page.goto(`${app.url}/instructor/sessions/new`);
    await unlock(page, PIN);
  }
  await heading(page, 'Uusi ohjauskerta');
  await page.getByText('Henkilökohtainen', { exact: true }).click();
  await page.getByRole('button', { name: 'Lisää yksi: Osallistujat, Uusia' }).click();
  await page.getByLabel('Lyhyt muistiinpano').fill(note);
  await page.getByLabel('Lyhyt muistiinpano').blur(); // saved at once on leaving the field (else after a pause)
  expect(await axeViolations(page), 'log form').toEqual([]);
  await page.getByRole('button', { name: 'Valmis' }).click();
  await heading(page, 'Ohjauskertojen kirjaukset');
}

/** Every regular file under a folder. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    const stat = statSync(path, { throwIfNoEntry: false });
    return !stat ? [] : stat.isDirectory() ? filesUnder(path) : stat.isFile() ? [path] : [];
  });
}

/** Files whose bytes hold the text in UTF-8 or UTF-16LE; digits only count as a whole number (not inside a longer one). */
function filesHolding(dir: string, text: string): string[] {
  const forms = [Buffer.from(text, 'utf8'), Buffer.from(text, 'utf16le')];
  const digitAt = (bytes: Buffer, at: number, width: number) =>
    at >= 0 && at + width <= bytes.length && bytes[at]! >= 0x30 && bytes[at]! <= 0x39 && (width === 1 || bytes[at + 1] === 0);
  return filesUnder(dir).filter((file) => {
    const bytes = readFileSync(file);
    return forms.some((form, i) => {
      const width = i === 0 ? 1 : 2;
      for (let at = bytes.indexOf(form); at >= 0; at = bytes.indexOf(form, at + 1)) {
        if (!/^\d+$/.test(text) || (!digitAt(bytes, at - width, width) && !digitAt(bytes, at + form.length, width))) return true;
      }
      return false;
    });
  });
}

describe("a lost tablet's disk", () => {
  it('holds no note, no PIN and no bearer value after locking; the notes read as before after a new start and the PIN', async ({ app, place, root }) => {
    const profileDir = join(root, 'tablet');
    let { context, page, bearers } = await openBrowser(profileDir);
    await page.goto(app.url);
    await setUpFirstAdmin(page, app.url, 'Anna', PIN);
    await enrol(page, app, place.siteId);
    await writeLogWithNote(page, app, NOTES[0]!);
    await writeLogWithNote(page, app, NOTES[1]!);
    await page.getByRole('button', { name: TEXT.handOver }).click();
    await heading(page, TEXT.home);
    await context.close(); // the browser is shut: everything it keeps is in the folder now

    expect(bearers.size, 'the tablet sent its bearer value while enrolled').toBeGreaterThan(0);
    for (const note of NOTES) {
      expect(filesHolding(profileDir, note), note).toEqual([]);
      // A part of it too (what a cut-up record would hold): its last words, which no guide or code of the app has.
      const tail = note.split(/\s+/).slice(-2).join(' ');
      expect(filesHolding(profileDir, tail), tail).toEqual([]);
    }
    expect(filesHolding(profileDir, PIN), 'the PIN').toEqual([]);
    // Every Authorization value the tablet sent on the wire (protocol v2: short-lived access tokens, kept in memory).
    for (const bearer of bearers) expect(filesHolding(profileDir, bearer), 'a bearer value').toEqual([]);

    ({ context, page, bearers } = await openBrowser(profileDir));
    await page.goto(`${app.url}/instructor/sessions`);
    await unlock(page, PIN);
    await heading(page, 'Ohjauskertojen kirjaukset');
    await page.getByLabel('Hae muistiinpanoista').fill('Ölandia');
    const links = page.locator('a[href^="/instructor/sessions/"]:not([href$="/new"])');
    await expect.poll(() => links.count()).toBe(1);
    await links.first().click();
    await heading(page, 'Ohjauskerta');
    await expect.poll(() => page.getByLabel('Lyhyt muistiinpano').inputValue()).toBe(NOTES[0]);
    await context.close();
  }, 240_000);

  it('a note written while unlocked reaches the server in clear, though the tablet was locked before the sync ran', async ({ app, place, root }) => {
    const profileDir = join(root, 'tablet-offline');
    const { context, page } = await openBrowser(profileDir);
    await page.goto(app.url);
    await setUpFirstAdmin(page, app.url, 'Ville', PIN);
    await enrol(page, app, place.siteId);
    // The server cannot be reached while the log is written: no sync can send it before the tablet is locked.
    const sent: string[] = [];
    await context.route('**/v1/**', (route) => route.abort('internetdisconnected'));
    const note = 'Tulostimen ajuri asennettiin yhdessä 5530';
    await writeLogWithNote(page, app, note);
    await page.getByRole('button', { name: TEXT.handOver }).click();
    await heading(page, TEXT.home);
    await context.unroute('**/v1/**');
    page.on('request', (request) => {
      const body = request.url().includes('/v1/push') ? request.postDataBuffer() : null;
      if (body) sent.push((body[0] === 0x1f && body[1] === 0x8b ? gunzipSync(body) : body).toString('utf8')); // pushes may go gzipped
    });
    await page.evaluate(() => window.dispatchEvent(new Event('online'))); // back online, still locked: the sync runs now

    const exported = async () => {
      // The administrator's `npm run admin -- export`: its CSV files.
      const dir = join(root, 'export');
      await runCommand(app.server.store, ['export', '--org', place.orgId, '--out', dir], { json: false, print: () => undefined });
      return filesUnder(dir)
        .map((file) => readFileSync(file, 'utf8'))
        .join('\n');
    };
    await expect.poll(exported, { timeout: 30_000, interval: 500 }).toContain(note);
    expect(JSON.stringify(await app.server.store.quarantined(place.orgId))).not.toContain('sealed_note_unreadable');
    expect(sent.join('\n')).toContain('sealed:v1:'); // it travelled sealed
    expect(sent.join('\n')).not.toContain(note);
    await context.close();
  }, 240_000);
});
