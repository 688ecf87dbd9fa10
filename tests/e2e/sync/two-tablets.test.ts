// Two tablets of one site and a real server process: logs and a guide with a photo written offline on one tablet
// reach the server exactly once — even when the server dies in the middle of the push — and the other tablet shows
// them, picture included, also offline.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createEnrolmentCode, revokeDevice } from '../../../src/server/admin';
import type { Store } from '../../../src/server/store';
import { openSqliteStore } from '../../../src/server/store/sqlite-store';
import { freePort, startServerProcess, type ServerProcess } from '../../server/support/process';
import { heading, setUpFirstAdmin, TEXT, unlock } from '../lock/support';
import { axeViolations } from '../support/axe';
import { it } from '../support/fixtures';
import { newTablet, waitForServiceWorker } from '../support/harness';
import { BUILD_A, E2E_DIR } from '../support/paths';

const PIN = '482916';
let root: string;
let port: number;
let url: string;
let server: ServerProcess | undefined;
let firstCode = '';
/** The enrolment link the server printed: the code in the fragment, so it never reaches a log. */
let firstLink = '';
let store: Store;

/** Starts `npm start`'s entry as its own process, as on a real server (on its embedded SQLite, even where CI sets DATABASE_URL). */
async function startServer(): Promise<void> {
  server = await startServerProcess(
    { DATA_DIR: join(root, 'data'), STATIC_DIR: join(root, 'www') },
    { port, until: firstCode ? undefined : /More codes and sites/ },
  );
  firstCode ||= /Enrolment code for one tablet: (\S+)/.exec(server.output())?.[1] ?? '';
  firstLink ||= /[Oo]pen (\S+) on the tablet/.exec(server.output())?.[1] ?? '';
}

function killServer(): Promise<void> {
  return server?.stop('SIGKILL') ?? Promise.resolve();
}

async function serverLogs(): Promise<string[]> {
  const org = (await store.listOrganisations())[0]!;
  const ids = (await store.recordsOfOrganisation(org.id, 'sessions')).map((r) => r.id);
  expect(new Set(ids).size, 'each log once on the server').toBe(ids.length);
  return ids;
}

/** A typical log through the real form, in as few taps as an instructor would use. */
async function writeLog(page: Page, format: string): Promise<void> {
  await page.getByRole('link', { name: 'Uusi kirjaus' }).first().click();
  await heading(page, 'Uusi ohjauskerta');
  await page.getByText(format, { exact: true }).click();
  await page.getByRole('button', { name: 'Lisää yksi: Osallistujat, Uusia' }).click();
  await page.getByText('Tietoturva', { exact: true }).click();
  await page.getByRole('button', { name: 'Valmis' }).click();
  await heading(page, 'Ohjauskertojen kirjaukset');
}

/** Moves inside the app without a reload (a reload would lock the instructor area). */
async function goInApp(page: Page, path: string): Promise<void> {
  await page.evaluate((to) => {
    history.pushState(null, '', to);
    window.dispatchEvent(new PopStateEvent('popstate'));
  }, path);
}

/** A photo as a camera would give it: drawn in the page, PNG bytes. */
async function photo(page: Page): Promise<Buffer> {
  const base64 = await page.evaluate(async () => {
    const canvas = document.createElement('canvas');
    canvas.width = 800;
    canvas.height = 600;
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = '#0b6e4f';
    ctx.fillRect(0, 0, 800, 600);
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(200, 200, 400, 200);
    const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), 'image/png'));
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let binary = '';
    for (const byte of bytes) binary += String.fromCharCode(byte);
    return btoa(binary);
  });
  return Buffer.from(base64, 'base64');
}

const GUIDE = 'Päiväkeskuksen tulostin';

async function openSync(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Synkronointi' }).first().click();
  await heading(page, 'Synkronointi');
}

async function joinSite(page: Page, link: string, code: string, name: string): Promise<void> {
  await page.goto(link);
  if (link.includes('#code=')) await page.getByText('Liitä tämä tabletti: ensin ohjaajan PIN, sitten liittäminen.').waitFor(); // says why a PIN is asked
  await unlock(page, PIN);
  await heading(page, 'Synkronointi');
  expect(await page.getByLabel('Liittämiskoodi').inputValue()).toBe(code);
  expect(await axeViolations(page), 'enrolment form').toEqual([]);
  await page.getByLabel('Tabletin nimi').fill(name);
  await page.getByRole('button', { name: 'Liitä tabletti' }).click();
  await page.getByText(/Tabletti kuuluu: /).waitFor();
  expect(await axeViolations(page), 'sync status').toEqual([]);
}

async function newEnrolledTablet(browser: Browser, name: string, link: string, code: string): Promise<{ context: BrowserContext; page: Page }> {
  const tablet = await newTablet(browser);
  await tablet.page.goto(url);
  await waitForServiceWorker(tablet.page);
  await setUpFirstAdmin(tablet.page, url, `Ohjaaja ${name}`, PIN);
  await joinSite(tablet.page, link, code, name);
  return tablet;
}

let a: { context: BrowserContext; page: Page };
let b: { context: BrowserContext; page: Page };

beforeAll(async () => {
  root = mkdtempSync(join(E2E_DIR, 'sync-'));
  cpSync(BUILD_A, join(root, 'www'), { recursive: true });
  port = await freePort();
  url = `http://localhost:${port}`;
  await startServer();
  store = await openSqliteStore(join(root, 'data')); // the administrator's view of the same SQLite file
  expect(firstCode).not.toBe('');
});
afterAll(async () => {
  await a?.context.close();
  await b?.context.close();
  await killServer();
  await store?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('two tablets of one site', () => {
  it('tablet A writes three logs and a guide with a photo offline; they reach the server once it is back online', async ({ browser }) => {
    expect(firstLink).toBe(`${url}/enrol#code=${firstCode}`);
    a = await newEnrolledTablet(browser, 'Tabletti A', firstLink, firstCode);
    await a.context.setOffline(true);
    await a.page.getByRole('link', { name: 'Takaisin' }).click();
    await heading(a.page, TEXT.instructor);
    await a.page.getByRole('link', { name: 'Ohjauskertojen kirjaukset' }).click();
    await heading(a.page, 'Ohjauskertojen kirjaukset');
    for (const format of ['Säännöllinen ryhmä', 'Pop-up', 'Henkilökohtainen']) await writeLog(a.page, format);
    await expect.poll(() => a.page.getByText('Ei vielä synkronoitu').count()).toBe(3);
    expect(await serverLogs()).toHaveLength(0);

    // …and makes a guide of the day centre's printer with a photo, still offline.
    await goInApp(a.page, '/instructor/guides/new');
    await heading(a.page, 'Uusi ohje');
    await a.page.getByLabel('Otsikko').fill(GUIDE);
    await a.page.getByLabel('Yhteenveto yhdellä lyhyellä lauseella').fill('Tulosta paperi päiväkeskuksen koneella');
    await a.page.getByRole('button', { name: 'Lisää vaihe' }).click();
    const step = a.page.locator('.editor-steps > li').first();
    await step.getByLabel('Mitä tehdään').fill('Paina vihreää nappia.');
    await step.getByLabel('Valitse kuva').setInputFiles({ name: 'tulostin.png', mimeType: 'image/png', buffer: await photo(a.page) });
    await step.locator('img.step-picture').waitFor();
    await step.getByLabel('Mitä kuvassa näkyy').fill('Tulostimen vihreä nappi');
    await a.page.getByText('Kaikki muutokset on tallennettu tähän tablettiin.').waitFor();
    await goInApp(a.page, '/instructor/sessions');
    await heading(a.page, 'Ohjauskertojen kirjaukset');

    await a.context.setOffline(false); // the 'online' event starts a sync by itself
    await expect.poll(() => a.page.getByText('Ei vielä synkronoitu').count(), { timeout: 20_000 }).toBe(0);
    await expect.poll(async () => (await serverLogs()).length).toBe(3);
    const org = (await store.listOrganisations())[0]!;
    await expect.poll(async () => (await store.recordsOfOrganisation(org.id, 'guideSteps')).length, { timeout: 20_000 }).toBe(1);
    const [guideStep] = await store.recordsOfOrganisation(org.id, 'guideSteps');
    expect(await store.hasBlob(org.id, String(guideStep!.fields.imageHash))).toBeDefined(); // the picture went up too
  });

  it('tablet B joins, pulls the logs and the guide, and shows them, picture included, with no network', async ({ browser }) => {
    const site = (await store.listSites())[0]!;
    const { code } = await createEnrolmentCode(store, site.id);
    b = await newEnrolledTablet(browser, 'Tabletti B', `${url}/enrol?code=${encodeURIComponent(code)}`, code); // a link printed by an older version
    await b.page.getByText('Kaikki muutokset on lähetetty.').waitFor();
    await b.page.getByRole('link', { name: 'Takaisin' }).click();
    await b.page.getByRole('link', { name: 'Ohjauskertojen kirjaukset' }).click();
    await heading(b.page, 'Ohjauskertojen kirjaukset');
    await expect.poll(() => b.page.getByRole('list').getByRole('link').count(), { timeout: 15_000 }).toBe(3);
    // The report's site list names the site as it was created, never by a raw id.
    await b.page.getByRole('navigation', { name: 'Ohjaajan valikko' }).getByRole('link', { name: 'Raportit' }).click();
    await heading(b.page, 'Raportit');
    // The list fills in once the logs are read: wait for it rather than read it at once.
    await expect.poll(() => b.page.getByLabel('Toimipaikka').locator('option').allTextContents(), { timeout: 15_000 }).toContain(site.name);
    const siteOptions = await b.page.getByLabel('Toimipaikka').locator('option').allTextContents();
    expect(siteOptions.some((text) => /[0-9a-f]{8}-[0-9a-f]{4}/.test(text))).toBe(false);
    await b.page.getByRole('navigation', { name: 'Ohjaajan valikko' }).getByRole('link', { name: 'Kirjaukset' }).click();
    await heading(b.page, 'Ohjauskertojen kirjaukset');

    await b.context.setOffline(true);
    await b.page.reload();
    await unlock(b.page, PIN);
    await heading(b.page, 'Ohjauskertojen kirjaukset');
    await expect.poll(() => b.page.getByRole('list').getByRole('link').count()).toBe(3);

    // A participant on tablet B finds tablet A's guide, picture included, with no network.
    await b.page.goto(url);
    await b.page.getByLabel('Hae ohjetta').fill('tulostin');
    await b.page.getByRole('link', { name: new RegExp(GUIDE) }).click();
    await b.page.getByText('Paina vihreää nappia.').waitFor();
    const picture = b.page.locator('img.step-picture');
    await expect.poll(() => picture.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    expect(await picture.getAttribute('alt')).toBe('Tulostimen vihreä nappi');
    await b.context.setOffline(false);
  });

  it('loses nothing and repeats nothing when the server dies during the push and comes back', async () => {
    await a.context.setOffline(true);
    await writeLog(a.page, 'Päivystys');
    await writeLog(a.page, 'Pop-up');
    let pushes = 0;
    let cut = false;
    await a.context.route('**/v1/push', async (route) => {
      pushes += 1;
      if (pushes > 1) return route.continue();
      await route.fetch(); // the server commits the push…
      await killServer(); // …and dies before the tablet hears the answer
      await route.abort('connectionreset');
      cut = true;
    });
    await a.context.setOffline(false);
    await expect.poll(() => cut, { timeout: 20_000 }).toBe(true);
    expect(await serverLogs()).toHaveLength(5);
    await a.page.goto(`${url}/instructor`); // the service worker answers: the app opens with the server dead
    await unlock(a.page, PIN);
    await openSync(a.page);
    await a.page.getByTestId('sync-problem').waitFor();
    expect(await a.page.getByTestId('sync-problem').textContent()).toContain('Ei yhteyttä palvelimeen');
    // Being offline is normal in a shelter: said calmly in grey, not as a red alert.
    expect(
      await a.page
        .getByTestId('sync-problem')
        .evaluate((el) => ({ role: el.getAttribute('role'), calm: el.classList.contains('sync-calm'), color: getComputedStyle(el).color })),
    ).toEqual({ role: 'status', calm: true, color: 'rgb(68, 80, 94)' });

    await startServer();
    await a.page.getByRole('button', { name: 'Synkronoi nyt' }).click();
    await a.page.getByText('Kaikki muutokset on lähetetty.').waitFor({ timeout: 20_000 });
    expect(await serverLogs()).toHaveLength(5);
  });

  it('tells a revoked tablet so; it keeps its data and can leave the site for a new code', async () => {
    const device = (await store.listDevices()).find((d) => d.name === 'Tabletti B')!;
    await revokeDevice(store, device.id, false);
    await b.page.goto(`${url}/instructor`);
    await unlock(b.page, PIN);
    await openSync(b.page);
    await b.page.getByRole('button', { name: 'Synkronoi nyt' }).click();
    await b.page.getByText('Tämä tabletti on poistettu palvelimelta.', { exact: false }).waitFor();
    // The instructor takes the tablet off the site; the logs stay and the form for a new code is back.
    await b.page.getByRole('button', { name: 'Irrota tabletti toimipaikasta' }).click();
    await b.page.getByRole('button', { name: 'Kyllä, irrota' }).click();
    await b.page.getByRole('heading', { name: 'Liitä tabletti toimipaikkaan' }).waitFor();
    await b.page.getByRole('link', { name: 'Takaisin' }).click();
    await b.page.getByRole('link', { name: 'Ohjauskertojen kirjaukset' }).click();
    await expect.poll(() => b.page.getByRole('list').getByRole('link').count()).toBeGreaterThanOrEqual(3);
  });

  it('erases a lost tablet that the administrator revoked with a wipe, at its next contact', async () => {
    const device = (await store.listDevices()).find((d) => d.name === 'Tabletti A')!;
    await revokeDevice(store, device.id, true);
    // The app syncs as it starts: that first contact erases the tablet and returns it to the participant home.
    await a.page.goto(`${url}/instructor`);
    await a.page.waitForURL(`${url}/`, { timeout: 20_000 });
    await heading(a.page, TEXT.home);
    const left = await a.page.evaluate(
      () =>
        new Promise<Record<string, number>>((resolve, reject) => {
          const request = indexedDB.open('digituki');
          request.onsuccess = () => {
            const tx = request.result.transaction(['sessions', 'feedback', 'profiles', 'outbox', 'syncState']);
            const counts: Record<string, number> = {};
            for (const name of ['sessions', 'feedback', 'profiles', 'outbox']) {
              const count = tx.objectStore(name).count();
              count.onsuccess = () => (counts[name] = count.result);
            }
            const enrolment = tx.objectStore('syncState').get('enrolment');
            enrolment.onsuccess = () => (counts.enrolment = enrolment.result ? 1 : 0);
            tx.oncomplete = () => resolve(counts);
            tx.onerror = () => reject(tx.error);
          };
          request.onerror = () => reject(request.error);
        }),
    );
    expect(left).toEqual({ sessions: 0, feedback: 0, profiles: 0, outbox: 0, enrolment: 0 });
  });
});
