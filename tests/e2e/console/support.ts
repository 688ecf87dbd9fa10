// Steps the console's browser tests repeat: a tablet (the real app) enrolled at a site and writing logs, and a
// coordinator's browser on the console.
import jsQR from 'jsqr';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { heading, setUpFirstAdmin, unlock } from '../lock/support';
import { newTablet, waitForServiceWorker } from '../support/harness';

export const PIN = '482916';

export interface TabletUnderTest {
  context: BrowserContext;
  page: Page;
  /** Every address this tablet's pages and service worker asked for. */
  requests: string[];
}

/** A new tablet: the app installed (service worker in control), its first instructor made, nothing enrolled. */
export async function freshTablet(browser: Browser, url: string): Promise<TabletUnderTest> {
  const { context, page } = await newTablet(browser);
  const requests: string[] = [];
  context.on('request', (request) => requests.push(request.url()));
  await page.goto(url);
  await waitForServiceWorker(page);
  await setUpFirstAdmin(page, url, 'Ohjaaja', PIN);
  return { context, page, requests };
}

/** Opens an enrolment link on the tablet, as scanning the QR code would, and joins the site under the given name. */
export async function enrolWithLink(page: Page, link: string, name: string): Promise<void> {
  await page.goto(link);
  await unlock(page, PIN);
  await heading(page, 'Synkronointi');
  await page.getByLabel('Tabletin nimi').fill(name);
  await page.getByRole('button', { name: 'Liitä tabletti' }).click();
  await page.getByText(/Tabletti kuuluu: /).waitFor();
}

/** A typical final log through the real form: one new participant, topic "Tietoturva". */
export async function writeLog(page: Page, format: string): Promise<void> {
  await page.getByRole('link', { name: 'Uusi kirjaus' }).first().click();
  await heading(page, 'Uusi ohjauskerta');
  await page.getByText(format, { exact: true }).click();
  await page.getByRole('button', { name: 'Lisää yksi: Osallistujat, Uusia' }).click();
  await page.getByText('Tietoturva', { exact: true }).click();
  await page.getByRole('button', { name: 'Valmis' }).click();
  await heading(page, 'Ohjauskertojen kirjaukset');
}

/** Moves inside the app without a reload (a reload would lock the instructor area). */
export async function goInApp(page: Page, path: string): Promise<void> {
  await page.evaluate((to) => {
    history.pushState(null, '', to);
    window.dispatchEvent(new PopStateEvent('popstate'));
  }, path);
}

/** The tablet's sync screen, and a sync started from its button; resolves when the screen says all was sent. */
export async function syncNow(page: Page): Promise<void> {
  await goInApp(page, '/instructor/sync');
  await heading(page, 'Synkronointi');
  await page.getByRole('button', { name: 'Synkronoi nyt' }).click();
}

/** The precache manifest a built service worker carries (the entries Workbox injected into sw.js). */
export function precacheUrls(serviceWorker: string): string[] {
  return [...serviceWorker.matchAll(/\{"revision":(?:"[0-9a-f]*"|null),"url":"([^"]+)"\}/g)].map((match) => match[1]!);
}

/**
 * The text a QR code on the page holds: the element's pixels as Chromium drew them (a screenshot), turned into RGBA by
 * the page's own canvas and decoded by jsQR; undefined when no code can be read from them.
 */
export async function decodeQr(page: Page, image: Locator): Promise<string | undefined> {
  const png = await image.screenshot();
  const pixels = await page.evaluate(async (base64) => {
    const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d')!;
    context.drawImage(bitmap, 0, 0);
    const data = context.getImageData(0, 0, bitmap.width, bitmap.height);
    return { width: data.width, height: data.height, rgba: Array.from(data.data) };
  }, png.toString('base64'));
  return jsQR(Uint8ClampedArray.from(pixels.rgba), pixels.width, pixels.height)?.data;
}

export interface ChartRow {
  key: string;
  label: string;
  /** Every number cell of the row as text, in column order (the count last). */
  cells: string[];
  /** The bar's length as drawn: its share of the longest bar (0–100), and the width Chromium laid out for it. */
  bar: number;
  barPx: number;
  trackPx: number;
}

/** What a console bar chart shows: its caption, column headers and each row's numbers and bar. */
export function readChart(page: Page, id: string): Promise<{ caption: string; headers: string[]; rows: ChartRow[] }> {
  return page.locator(`table.bar-chart#${id}`).evaluate((table) => ({
    caption: table.querySelector('caption')?.textContent?.trim() ?? '',
    headers: [...table.querySelectorAll('thead th')].map((cell) => cell.textContent?.trim() ?? ''),
    rows: [...table.querySelectorAll<HTMLTableRowElement>('tbody tr')].map((row) => {
      const rect = row.querySelector('td.bar rect');
      return {
        key: row.dataset.key ?? '',
        label: row.querySelector('th')?.textContent?.trim() ?? '',
        cells: [...row.querySelectorAll('td.count')].map((cell) => cell.textContent?.trim() ?? ''),
        bar: Number(rect?.getAttribute('width') ?? Number.NaN),
        barPx: rect?.getBoundingClientRect().width ?? Number.NaN,
        trackPx: row.querySelector('td.bar svg')?.getBoundingClientRect().width ?? Number.NaN,
      };
    }),
  }));
}

/** A number as the console writes it ("1 234" in Finnish). */
export const shownNumber = (text: string | null): number => Number((text ?? '').replace(/\s/g, ''));
