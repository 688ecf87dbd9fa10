// A credential a copy cannot use (issue 13), in real Chromium against the real server: after enrolling and syncing,
// every string the tablet keeps in its IndexedDB sync state (enrolment, key row, cursor …) and in localStorage is
// replayed as a bearer token with fetch — each gets 401 — while the tablet itself keeps syncing a new log.
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { createEnrolmentCode, createOrganisation, createSite } from '../../../src/server/admin';
import { heading, setUpFirstAdmin, unlock } from '../lock/support';
import { it } from '../support/fixtures';
import { newTablet, waitForServiceWorker, type AppUnderTest } from '../support/harness';

const PIN = '482916';

// Many wrong tokens from one address in a row: the server's limit on failed tokens must not answer 429 first.
it.override('appOptions', { scope: 'file' }, { authFailureRateLimit: { burst: 10_000, perSecond: 100 } });

async function serverLogs(app: AppUnderTest, orgId: string): Promise<number> {
  return (await app.server.store.recordsOfOrganisation(orgId, 'sessions')).length;
}

/** Every string in the tablet's sync state rows and in localStorage, read in the page; and what the key row holds. */
async function storedStrings(page: Page): Promise<{ strings: string[]; privateKey: { isCryptoKey: boolean; extractable: boolean } | undefined }> {
  return page.evaluate(async () => {
    const database = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('digituki');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const rows = await new Promise<{ key: string; value: unknown }[]>((resolve, reject) => {
      const request = database.transaction('syncState').objectStore('syncState').getAll();
      request.onsuccess = () => resolve(request.result as { key: string; value: unknown }[]);
      request.onerror = () => reject(request.error);
    });
    database.close();
    const strings = new Set<string>();
    const walk = (value: unknown): void => {
      if (typeof value === 'string') strings.add(value);
      else if (Array.isArray(value)) value.forEach(walk);
      else if (value && typeof value === 'object' && !(value instanceof CryptoKey)) Object.values(value).forEach(walk);
    };
    rows.forEach(walk);
    for (let i = 0; i < localStorage.length; i += 1) {
      const name = localStorage.key(i)!;
      strings.add(name);
      strings.add(localStorage.getItem(name) ?? '');
    }
    const key = rows.find((row) => row.key === 'deviceKey')?.value as { privateKey?: unknown } | undefined;
    const privateKey = key?.privateKey instanceof CryptoKey ? { isCryptoKey: true, extractable: key.privateKey.extractable } : undefined;
    return { strings: [...strings].filter(Boolean), privateKey };
  });
}

it('a string copied out of the tablet gets 401 for every try, and the tablet keeps syncing', async ({ browser, app, onTestFinished }) => {
  const orgId = (await createOrganisation(app.server.store, 'Helsingin Digituki')).id;
  const site = await createSite(app.server.store, orgId, 'Päiväkeskus Kallio');
  const { code } = await createEnrolmentCode(app.server.store, site.id);
  const { context, page } = await newTablet(browser);
  onTestFinished(() => context.close());
  await page.goto(app.url);
  await waitForServiceWorker(page);
  await setUpFirstAdmin(page, app.url, 'Ohjaaja A', PIN);
  await page.goto(`${app.url}/enrol#code=${code}`);
  await unlock(page, PIN);
  await heading(page, 'Synkronointi');
  await page.getByLabel('Tabletin nimi').fill('Tabletti A');
  await page.getByRole('button', { name: 'Liitä tabletti' }).click();
  await page.getByText(/Tabletti kuuluu: /).waitFor();
  await page.getByText('Kaikki muutokset on lähetetty.').waitFor();

  const { strings, privateKey } = await storedStrings(page);
  expect(privateKey).toEqual({ isCryptoKey: true, extractable: false });
  expect(strings.length).toBeGreaterThan(5);
  const device = (await app.server.store.listDevices(orgId))[0]!;
  expect(strings).toContain(device.id); // the device id is there: it names the device, it opens nothing
  const statuses = new Map<string, number>();
  for (const value of strings) {
    const response = await fetch(`${app.url}/v1/pull`, { headers: { 'Digituki-Protocol': '2', Authorization: `Bearer ${value}` } });
    statuses.set(value.slice(0, 24), response.status);
  }
  expect(
    [...statuses.values()].every((status) => status === 401),
    JSON.stringify(Object.fromEntries(statuses)),
  ).toBe(true);

  // The tablet itself goes on: a new log reaches the server.
  await page.getByRole('link', { name: 'Takaisin' }).click();
  await page.getByRole('link', { name: 'Ohjauskertojen kirjaukset' }).click();
  await heading(page, 'Ohjauskertojen kirjaukset');
  await page.getByRole('link', { name: 'Uusi kirjaus' }).first().click();
  await heading(page, 'Uusi ohjauskerta');
  await page.getByText('Pop-up', { exact: true }).click();
  await page.getByRole('button', { name: 'Lisää yksi: Osallistujat, Uusia' }).click();
  await page.getByText('Tietoturva', { exact: true }).click();
  await page.getByRole('button', { name: 'Valmis' }).click();
  await heading(page, 'Ohjauskertojen kirjaukset');
  await expect.poll(() => serverLogs(app, orgId), { timeout: 20_000 }).toBe(1);
  // Still nothing a copy could use.
  const after = await storedStrings(page);
  expect(after.strings.some((value) => value.startsWith('at.'))).toBe(false);
}, 240_000);
