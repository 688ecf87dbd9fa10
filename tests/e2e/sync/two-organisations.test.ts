// One tablet, two enrolments into two organisations, a real server process and real Chromium: the logs written for
// the first site never reach the second organisation; the sync screen says how many wait from the earlier site, saves
// them to a file and, after a confirmation, throws them away.
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { createEnrolmentCode, createOrganisation, createSite } from '../../../src/server/admin';
import type { Store } from '../../../src/server/store';
import { openSqliteStore } from '../../../src/server/store/sqlite-store';
import { freePort, startServerProcess, type ServerProcess } from '../../server/support/process';
import { heading, setUpFirstAdmin, unlock } from '../lock/support';
import { axeViolations } from '../support/axe';
import { it } from '../support/fixtures';
import { newTablet, waitForServiceWorker } from '../support/harness';
import { BUILD_A, E2E_DIR } from '../support/paths';

const PIN = '482916';
let root: string;
let url: string;
let server: ServerProcess;
let store: Store;
let tablet: { context: BrowserContext; page: Page };

async function logsOf(orgName: string): Promise<string[]> {
  const org = (await store.listOrganisations()).find((o) => o.name === orgName)!;
  return (await store.recordsOfOrganisation(org.id, 'sessions')).map((r) => r.id);
}

async function writeLog(page: Page, format: string): Promise<void> {
  await page.getByRole('link', { name: 'Uusi kirjaus' }).first().click();
  await heading(page, 'Uusi ohjauskerta');
  await page.getByText(format, { exact: true }).click();
  await page.getByRole('button', { name: 'Lisää yksi: Osallistujat, Uusia' }).click();
  await page.getByText('Tietoturva', { exact: true }).click();
  await page.getByRole('button', { name: 'Valmis' }).click();
  await heading(page, 'Ohjauskertojen kirjaukset');
}

async function openLogs(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Takaisin' }).click();
  await page.getByRole('link', { name: 'Ohjauskertojen kirjaukset' }).click();
  await heading(page, 'Ohjauskertojen kirjaukset');
}

/** Moves inside the app without a reload (a reload would lock the instructor area). */
async function goInApp(page: Page, path: string): Promise<void> {
  await page.evaluate((to) => {
    history.pushState(null, '', to);
    window.dispatchEvent(new PopStateEvent('popstate'));
  }, path);
}

async function joinSite(page: Page, code: string, name: string): Promise<void> {
  await page.goto(`${url}/enrol#code=${code}`);
  await unlock(page, PIN);
  await heading(page, 'Synkronointi');
  await page.getByLabel('Tabletin nimi').fill(name);
  await page.getByRole('button', { name: 'Liitä tabletti' }).click();
  await page.getByText(/Tabletti kuuluu: /).waitFor();
}

async function outboxCount(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const request = indexedDB.open('digituki');
        request.onsuccess = () => {
          const count = request.result.transaction('outbox').objectStore('outbox').count();
          count.onsuccess = () => resolve(count.result);
          count.onerror = () => reject(count.error);
        };
        request.onerror = () => reject(request.error);
      }),
  );
}

beforeAll(async () => {
  root = mkdtempSync(join(E2E_DIR, 'orgs-'));
  cpSync(BUILD_A, join(root, 'www'), { recursive: true });
  const port = await freePort();
  url = `http://localhost:${port}`;
  server = await startServerProcess({ DATA_DIR: join(root, 'data'), STATIC_DIR: join(root, 'www') }, { port, until: /More codes and sites/ });
  store = await openSqliteStore(join(root, 'data')); // the administrator's view of the same SQLite file
});
afterAll(async () => {
  await tablet?.context.close();
  await server?.stop('SIGKILL');
  await store?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('a tablet that moves to another organisation', () => {
  it('never sends the first site’s logs to the second organisation, and lets the instructor save and then discard them', async ({ browser }) => {
    const first = await createOrganisation(store, 'Ensimmäinen yhdistys');
    const firstSite = await createSite(store, first.id, 'Olohuone');
    const second = await createOrganisation(store, 'Toinen yhdistys');
    const secondSite = await createSite(store, second.id, 'Asukastalo');

    tablet = await newTablet(browser);
    const { page, context } = tablet;
    await page.goto(url);
    await waitForServiceWorker(page);
    await setUpFirstAdmin(page, url, 'Ohjaaja', PIN);
    await joinSite(page, (await createEnrolmentCode(store, firstSite.id)).code, 'Tabletti');

    // Two logs for the first site, written offline; the tablet then leaves that site.
    await context.setOffline(true);
    await openLogs(page);
    await writeLog(page, 'Pop-up');
    await writeLog(page, 'Säännöllinen ryhmä');
    await goInApp(page, '/instructor/sync');
    await heading(page, 'Synkronointi');
    await page.getByRole('button', { name: 'Irrota tabletti toimipaikasta' }).click();
    await page.getByRole('button', { name: 'Kyllä, irrota' }).click();
    await page.getByRole('heading', { name: 'Liitä tabletti toimipaikkaan' }).waitFor();
    await context.setOffline(false);

    // It joins the other organisation and syncs: nothing of the first site goes there.
    await joinSite(page, (await createEnrolmentCode(store, secondSite.id)).code, 'Tabletti');
    await page.getByText('Kaikki muutokset on lähetetty.').waitFor({ timeout: 20_000 });
    const heldBack = page.getByTestId('held-back-count');
    await expect.poll(() => heldBack.textContent()).toContain('2 kirjauksen');
    await page.getByRole('button', { name: 'Synkronoi nyt' }).click();
    await page.getByText('Kaikki muutokset on lähetetty.').waitFor({ timeout: 20_000 });
    expect(await logsOf('Toinen yhdistys')).toEqual([]);
    expect(await logsOf('Ensimmäinen yhdistys')).toEqual([]);
    expect(await axeViolations(page), 'sync screen with changes held back').toEqual([]);

    // Saved to a file: the two logs and their changes.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Tallenna tiedostoon' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^digituki-held-back-\d{4}-\d{2}-\d{2}\.json$/);
    const file = JSON.parse(readFileSync((await download.path())!, 'utf8')) as {
      format: string;
      places: { org: string; site: string }[];
      records: { sessions: unknown[] };
      changes: unknown[];
    };
    expect(file.format).toBe('digituki-held-back-changes');
    expect(file.places).toEqual([{ org: first.id, site: firstSite.id }]);
    expect(file.records.sessions).toHaveLength(2);
    expect(file.changes.length).toBeGreaterThanOrEqual(2);
    await page.getByText('Tiedosto tallennettiin.', { exact: false }).waitFor();

    // Thrown away after a confirmation; the logs stay on the tablet, the outbox is empty.
    await page.getByRole('button', { name: 'Hylkää nämä muutokset' }).click();
    expect(await axeViolations(page), 'discard confirmation').toEqual([]);
    await page.getByRole('button', { name: 'Kyllä, hylkää' }).click();
    await page.getByTestId('held-back').waitFor({ state: 'detached' });
    expect(await outboxCount(page)).toBe(0);

    // A log written for the new site goes to the new organisation.
    await goInApp(page, '/instructor/sessions');
    await heading(page, 'Ohjauskertojen kirjaukset');
    // The list fills in once the logs are read: wait for it rather than count at once.
    await expect.poll(() => page.getByRole('list').getByRole('link').count(), { timeout: 15_000 }).toBe(2);
    await writeLog(page, 'Henkilökohtainen');
    await expect.poll(async () => (await logsOf('Toinen yhdistys')).length, { timeout: 20_000 }).toBe(1);
    expect(await logsOf('Ensimmäinen yhdistys')).toEqual([]);
  });
});
