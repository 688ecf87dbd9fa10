// An instructor logs a drop-in on the tablet: offline, in a few taps, with drafts that survive a reload.
import { afterAll, describe, expect } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { axeViolations } from '../support/axe';
import { newTablet, waitForServiceWorker } from '../support/harness';
import { it } from '../support/fixtures';
import { openOtherRoles, readTable, tapCounter, unlockInstructor } from './tablet-data';

let context: BrowserContext;
let page: Page;

interface StoredLog {
  id: string;
  status: string;
  format: string;
  durationBand?: string;
  outcome: string | null;
  topics: string[];
  participants: Record<string, { new: number; returning: number }>;
  note: string;
  deleted: number;
  instructorId: string | null;
}

it.beforeAll(async ({ browser, app }) => {
  ({ context, page } = await newTablet(browser));
  await page.goto(`${app.url}/instructor`);
  await waitForServiceWorker(page);
  await unlockInstructor(page);
  await page.getByRole('heading', { level: 1, name: 'Ohjaajan tila' }).waitFor();
  await context.setOffline(true); // the shelter has no Wi-Fi: everything below happens offline
});
afterAll(async () => {
  await context?.close();
});

const liveLogs = async () => (await readTable<StoredLog>(page, 'sessions')).filter((log) => log.deleted !== 1);

describe('a session log on a tablet with no network', () => {
  it('takes at most 8 taps for a typical log, and is stored final with what was tapped', async () => {
    const { tap, count } = tapCounter();
    await tap(page.getByRole('link', { name: 'Uusi kirjaus' }));
    await page.getByRole('heading', { level: 1, name: 'Uusi ohjauskerta' }).waitFor();
    await tap(page.getByText('Päivystys', { exact: true }));
    await tap(page.getByRole('button', { name: 'Lisää yksi: Osallistujat, Uusia' }));
    await tap(page.getByText('Yhteydenpito', { exact: true }));
    await tap(page.getByText('Tuettuna', { exact: true }));
    await tap(page.getByText('15–30 min', { exact: true }));
    await tap(page.getByRole('button', { name: 'Valmis' }));
    await page.getByRole('heading', { level: 1, name: 'Ohjauskertojen kirjaukset' }).waitFor();
    expect(count()).toBeLessThanOrEqual(8);
    console.log(`taps for a typical log: ${count()}`);

    const logs = await liveLogs();
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({
      status: 'final',
      format: 'walk-in',
      durationBand: '15-30',
      outcome: 'with-support',
      topics: ['keeping-in-touch'],
      participants: { participant: { new: 1, returning: 0 } },
    });
    // The unlocked instructor's profile id (never a name), or none on a tablet without profiles.
    const profiles = await readTable<{ id: string }>(page, 'profiles');
    expect(logs[0]!.instructorId).toBe(profiles[0]?.id ?? null);
    // Written offline, so the list marks it as waiting for sync.
    const item = page.getByRole('link', { name: /Päivystys, 1 henkeä/ });
    await expect(item.textContent()).resolves.toContain('Ei vielä synkronoitu');
    await expect(item.textContent()).resolves.toContain('Valmis');
  });

  it('remembers the last format for the next log', async () => {
    await page.getByRole('link', { name: 'Uusi kirjaus' }).click();
    await page.getByRole('heading', { level: 1, name: 'Uusi ohjauskerta' }).waitFor();
    expect(await page.getByRole('radio', { name: 'Päivystys' }).isChecked()).toBe(true);
  });

  it('keeps a half-written log over a reload, and finalises it later', async () => {
    await openOtherRoles(page);
    await page.getByRole('button', { name: 'Lisää yksi: Seuraajat, Palaavia' }).click();
    await page.getByRole('button', { name: 'Lisää yksi: Seuraajat, Palaavia' }).click();
    await page.getByText('Tietoturva', { exact: true }).click();
    await page.getByRole('textbox', { name: 'Lyhyt muistiinpano' }).fill('Huijausviestit ja päivitykset');
    await page.waitForURL(/\/instructor\/sessions\/[0-9a-f-]{36}$/);
    // The draft's note is saved as it is typed, encrypted under the tablet's data key (issue 13): never in clear.
    await expect.poll(async () => (await liveLogs()).find((log) => log.status === 'draft')?.note ?? '').toMatch(/^enc:v1:/);
    expect((await liveLogs()).some((log) => log.note.includes('Huijaus'))).toBe(false);

    await page.reload();
    await unlockInstructor(page); // a reload always locks the instructor area
    await page.getByRole('heading', { level: 1, name: 'Ohjauskerta' }).waitFor();
    expect(await page.getByRole('status').filter({ hasText: 'luonnoksena' }).count()).toBe(1);
    await expect(page.getByRole('group', { name: 'Seuraajat' }).locator('output').nth(1).textContent()).resolves.toBe('2');
    expect(await page.getByRole('checkbox', { name: 'Tietoturva' }).isChecked()).toBe(true);
    expect(await page.getByRole('textbox', { name: 'Lyhyt muistiinpano' }).inputValue()).toBe('Huijausviestit ja päivitykset');

    await page.getByRole('button', { name: 'Valmis' }).click();
    await page.getByRole('heading', { level: 1, name: 'Ohjauskertojen kirjaukset' }).waitFor();
    const logs = await liveLogs();
    expect(logs.map((log) => log.status)).toEqual(['final', 'final']);
    expect(logs.find((log) => log.note)!.participants).toEqual({ onlooker: { new: 0, returning: 2 } });
  });

  it('flags a phone number in the note and keeps it out of the database', async () => {
    await page.getByRole('link', { name: /Tietoturva/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Ohjauskerta' }).waitFor();
    const note = page.getByRole('textbox', { name: 'Lyhyt muistiinpano' });
    await note.fill('Soita 040 123 4567');
    await expect(page.getByRole('alert').textContent()).resolves.toContain('puhelinnumero');
    await page.getByRole('button', { name: 'Valmis' }).click(); // refused: focus goes back to the note
    await page.waitForFunction(() => document.activeElement?.id === 'log-note');
    // A later change goes through the same write queue as any save of the note: once it is stored, so would the note be.
    const newcomers = async () =>
      (await liveLogs()).reduce((sum, log) => sum + Object.values(log.participants).reduce((people, role) => people + role.new + role.returning, 0), 0);
    const before = await newcomers();
    await page.getByRole('button', { name: 'Lisää yksi: Osallistujat, Uusia' }).click();
    await expect.poll(newcomers).toBe(before + 1);
    expect((await liveLogs()).some((log) => log.note.includes('040'))).toBe(false);
    const outbox = await readTable<{ fields: Record<string, unknown> }>(page, 'outbox');
    expect(outbox.some((entry) => String(entry.fields.note ?? '').includes('040'))).toBe(false);
    await note.fill('Huijausviestit');
    await page.getByRole('button', { name: 'Valmis' }).click();
    await page.getByRole('heading', { level: 1, name: 'Ohjauskertojen kirjaukset' }).waitFor();
  });

  it('filters the list by format, topic and words in the note', async () => {
    const items = page.getByRole('list').getByRole('link');
    await expect.poll(() => items.count()).toBe(2);
    await page.getByLabel('Aihe').selectOption('security');
    await expect.poll(() => items.count()).toBe(1);
    await page.getByLabel('Aihe').selectOption('');
    await page.getByLabel('Hae muistiinpanoista').fill('huijaus');
    await expect.poll(() => items.count()).toBe(1);
    await page.getByLabel('Hae muistiinpanoista').fill('');
    await page.getByLabel('Muoto', { exact: true }).selectOption('group');
    await expect.poll(() => page.getByText('Ei kirjauksia näillä rajauksilla.').count()).toBe(1);
    await page.getByRole('button', { name: 'Poista rajaukset' }).click();
    await expect.poll(() => items.count()).toBe(2);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('deletes a log only after confirmation, as a tombstone', async () => {
    await page.getByRole('link', { name: /Tietoturva/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Ohjauskerta' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Poista kirjaus' }).click();
    await page.getByRole('button', { name: 'Peruuta' }).click();
    expect(await liveLogs()).toHaveLength(2);
    await page.getByRole('button', { name: 'Poista kirjaus' }).click();
    await page.getByRole('button', { name: 'Kyllä, poista' }).click();
    await page.getByRole('heading', { level: 1, name: 'Ohjauskertojen kirjaukset' }).waitFor();
    expect(await liveLogs()).toHaveLength(1);
    const all = await readTable<StoredLog>(page, 'sessions');
    expect(all.filter((log) => log.deleted === 1)).toHaveLength(1);
    await expect.poll(() => page.getByRole('list').getByRole('link').count()).toBe(1);
  });

  it('has no axe findings on an empty new log form', async ({ app }) => {
    await page.goto(`${app.url}/instructor/sessions/new`);
    await unlockInstructor(page);
    await page.getByRole('heading', { level: 1, name: 'Uusi ohjauskerta' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
  });
});
