// The report shows what was entered on the tablet, and both CSV files parse back to the same data.
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { afterAll, describe, expect } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { axeViolations } from '../support/axe';
import { newTablet, waitForServiceWorker, type AppUnderTest } from '../support/harness';
import { it } from '../support/fixtures';
import { openMoreDetails, openOtherRoles, unlockInstructor } from '../sessions/tablet-data';

let context: BrowserContext;
let page: Page;

it.beforeAll(async ({ browser, app }) => {
  ({ context, page } = await newTablet(browser));
  await page.goto(`${app.url}/instructor`);
  await waitForServiceWorker(page);
  await context.setOffline(true);
  await unlockInstructor(page);
});
afterAll(async () => {
  await context?.close();
});

async function logSession(app: AppUnderTest, format: string, steps: { button: string; times: number }[], chips: string[], finalise = true) {
  await page.goto(`${app.url}/instructor/sessions/new`);
  await unlockInstructor(page);
  await page.getByRole('heading', { level: 1, name: 'Uusi ohjauskerta' }).waitFor();
  await page.getByText(format, { exact: true }).click();
  await openOtherRoles(page);
  await openMoreDetails(page);
  for (const { button, times } of steps) for (let i = 0; i < times; i += 1) await page.getByRole('button', { name: button }).click();
  for (const chip of chips) await page.getByText(chip, { exact: true }).click();
  await page.waitForURL(/\/instructor\/sessions\/[0-9a-f-]{36}$/);
  if (finalise) {
    await page.getByRole('button', { name: 'Valmis' }).click();
    await page.getByRole('heading', { level: 1, name: 'Ohjauskertojen kirjaukset' }).waitFor();
  }
}

async function download(name: string): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name }).click()]);
  return readFileSync((await file.path())!, 'utf8');
}

// Opened back the way Finnish Excel opens it: columns split at ';'.
const parse = (text: string) => Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: true, delimiter: ';' }).data;
const row = (chart: string, key: string) => page.locator(`#chart-${chart} tr[data-key="${key}"] td.count`).textContent();

describe('a month of drop-ins on one tablet', () => {
  it('reports exactly what was entered, with the numbers as text', async ({ app }) => {
    await logSession(
      app,
      'Päivystys',
      [
        { button: 'Lisää yksi: Ryhmäläiset, Uusia', times: 3 },
        { button: 'Lisää yksi: Ryhmäläiset, Palaavia', times: 4 },
      ],
      ['Tietoturva', 'Liitteet', 'Teki itse', 'Ei laitetta'],
    );
    await logSession(
      app,
      'Säännöllinen ryhmä',
      [
        { button: 'Lisää yksi: Seuraajat, Palaavia', times: 2 },
        { button: 'Lisää yksi: Vertaisohjaajat, Palaavia', times: 1 },
      ],
      ['Tietoturva', 'Ohjattiin eteenpäin', 'Kela'],
    );
    await logSession(app, 'Pop-up', [{ button: 'Lisää yksi: Ryhmäläiset, Uusia', times: 9 }], ['Viihde'], false); // a draft: not counted

    await page.goto(`${app.url}/instructor/reports`);
    await unlockInstructor(page);
    await page.getByRole('heading', { level: 1, name: 'Raportit' }).waitFor();
    await expect.poll(() => page.locator('[data-total="sessions"] .number').textContent()).toBe('2');
    expect(await page.locator('[data-total="visits"] .number').textContent()).toBe('10');
    expect(await page.getByText('Tällä jaksolla on 1 luonnosta, joita ei lasketa.').count()).toBe(1);
    expect(await row('visitsByRole', 'member')).toBe('7');
    expect(await row('visitsByRole', 'onlooker')).toBe('2');
    expect(await row('visitsByRole', 'peer')).toBe('1');
    expect(await row('newReturning', 'new')).toBe('3');
    expect(await row('newReturning', 'returning')).toBe('7');
    expect(await row('formats', 'walk-in')).toBe('1');
    expect(await row('formats', 'pop-up')).toBe('0');
    expect(await row('topics', 'security')).toBe('2');
    expect(await row('topics', 'attachments')).toBe('1');
    expect(await row('outcomes', 'referred')).toBe('1');
    expect(await row('referrals', 'kela')).toBe('1');
    expect(await row('barriers', 'no-device')).toBe('1');
    expect(await page.getByRole('table', { name: 'Käynnit rooleittain' }).count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('downloads the logs as a CSV that parses back to the logs, Finnish headers, BOM first', async () => {
    const text = await download('Lataa kirjaukset (CSV)');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const rows = parse(text);
    expect(rows[0]!.slice(0, 6)).toEqual(['Päivä', 'Alkamisaika', 'Kesto', 'Muoto', 'Kanava', 'Seuraajat uudet']);
    const body = rows.slice(1).map((cells) => Object.fromEntries(rows[0]!.map((header, i) => [header, cells[i]])));
    expect(body).toHaveLength(2);
    expect(body[0]).toMatchObject({
      Muoto: 'Päivystys',
      Kanava: 'Paikan päällä',
      'Ryhmäläiset uudet': '3',
      'Ryhmäläiset palaavat': '4',
      Aiheet: 'Tietoturva; Liitteet',
      Tulos: 'Teki itse',
      Esteet: 'Ei laitetta',
      Tila: 'Valmis',
    });
    expect(body[1]).toMatchObject({
      Muoto: 'Säännöllinen ryhmä',
      'Seuraajat palaavat': '2',
      'Vertaisohjaajat palaavat': '1',
      Tulos: 'Ohjattiin eteenpäin',
      Ohjattiin: 'Kela',
    });
    // The logs were written minutes ago: their start time reads as a Helsinki clock now does, not as this browser's UTC.
    const helsinkiNow = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Helsinki', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
      new Date(),
    );
    const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
    const apart = Math.abs(minutes(helsinkiNow) - minutes(String(body[0]!.Alkamisaika)));
    expect(Math.min(apart, 24 * 60 - apart)).toBeLessThanOrEqual(10);
  });

  it('downloads a shareable report where every count from 1 to 4 is hidden, also from subtraction', async () => {
    const rows = parse(await download('Lataa jaettava raportti (CSV)'));
    expect(rows[0]).toEqual(['Osio', 'Kohta', 'Määrä']);
    const count = (section: string, item: string) => rows.find((r) => r[0] === section && r[1] === item)?.[2];
    expect(count('Yhteensä', 'Ohjauskerrat')).toBe('2'); // sessions are not people: never hidden
    expect(rows[rows.length - 1]![0]).toMatch(/^Piilotettu: ihmisten määrät 1–4 .*Ohjauskertojen määriä ei piiloteta\.$/); // one line: what and why
    expect(count('Yhteensä', 'Käynnit')).toBe('10');
    // 2 onlookers and 1 peer are small; 7 members is hidden with them, or 10 − 7 would tell that 3 came in those roles.
    expect(count('Käynnit rooleittain', 'Ryhmäläiset')).toBe('piilotettu');
    expect(count('Käynnit rooleittain', 'Seuraajat')).toBe('piilotettu');
    expect(count('Käynnit rooleittain', 'Vertaisohjaajat')).toBe('piilotettu');
    expect(count('Uudet ja palaavat', 'Uusia')).toBe('piilotettu'); // 3
    expect(count('Uudet ja palaavat', 'Palaavia')).toBe('piilotettu'); // 7, or 10 − 7 would tell the 3
    const people = ['Käynnit', 'Palautteet', 'Käynnit rooleittain', 'Uudet ja palaavat', 'Miltä tänään tuntui', 'Toivotuimmat aiheet'];
    for (const [section, item, value] of rows.slice(1)) {
      if (people.includes(section!) || (section === 'Yhteensä' && people.includes(item!)))
        expect(value === 'piilotettu' || value === '0' || Number(value) >= 5).toBe(true);
    }
  });

  it('switches to a quarter and a custom range without losing the numbers', async () => {
    await page.getByText('Neljännes', { exact: true }).click();
    await expect.poll(() => page.locator('[data-total="sessions"] .number').textContent()).toBe('2');
    await page.getByText('Omat päivät', { exact: true }).click();
    await expect.poll(() => page.locator('[data-total="sessions"] .number').textContent()).toBe('2');
    await page.getByLabel('Alkaen').fill('2001-01-01');
    await page.getByLabel('Päättyen').fill('2001-01-31');
    await expect.poll(() => page.locator('[data-total="sessions"] .number').textContent()).toBe('0');
    expect(await axeViolations(page)).toEqual([]);
  });
});
