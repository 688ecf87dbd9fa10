// Text typed into the instructor's fields is shown as text everywhere it appears: HTML or a script in a session note,
// a guide's title, summary, step text or alt text never becomes markup, and no script runs.
import { afterAll, describe, expect } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { newTablet, waitForServiceWorker } from '../support/harness';
import { it } from '../support/fixtures';
import { heading, setUpFirstAdmin, TEXT } from './support';

const IMG = '<img src=x onerror=alert(1)>';
const SCRIPT = '<script>alert(2)</script>';
let context: BrowserContext;
let page: Page;
const dialogs: string[] = [];

/** Moves inside the app without a reload (a reload would lock the instructor area). */
async function goInApp(path: string): Promise<void> {
  await page.evaluate((to) => {
    history.pushState(null, '', to);
    window.dispatchEvent(new PopStateEvent('popstate'));
  }, path);
}

async function injectedElements(): Promise<number> {
  return page.evaluate(() => document.querySelectorAll('main img[src="x"], main script').length);
}

it.beforeAll(async ({ browser, app }) => {
  ({ context, page } = await newTablet(browser));
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(app.url);
  await waitForServiceWorker(page);
  await context.setOffline(true);
  await setUpFirstAdmin(page, app.url, 'Ohjaaja', '135790');
});
afterAll(async () => {
  await context?.close();
});

describe('HTML and scripts typed by an instructor', () => {
  it('stay text in a session note, in the list and back in the form', async () => {
    await page.getByRole('link', { name: 'Uusi kirjaus' }).first().click();
    await heading(page, 'Uusi ohjauskerta');
    await page.getByText('Päivystys', { exact: true }).click();
    await page.getByRole('button', { name: 'Lisää yksi: Osallistujat, Uusia' }).click(); // a final log counts someone
    await page.getByRole('textbox', { name: 'Lyhyt muistiinpano' }).fill(`${IMG} ${SCRIPT}`);
    await page.getByRole('button', { name: 'Valmis' }).click();
    await heading(page, 'Ohjauskertojen kirjaukset');
    expect(await injectedElements()).toBe(0);
    await page
      .getByRole('link', { name: /Päivystys/ })
      .first()
      .click();
    await heading(page, 'Ohjauskerta');
    expect(await page.getByRole('textbox', { name: 'Lyhyt muistiinpano' }).inputValue()).toBe(`${IMG} ${SCRIPT}`);
    expect(await injectedElements()).toBe(0);
    await page.getByRole('button', { name: 'Valmis' }).click();
    await heading(page, 'Ohjauskertojen kirjaukset');
  });

  it('stay text in a guide made on the tablet, in the editor and in the participant library and viewer', async () => {
    await goInApp('/instructor/guides/new');
    await heading(page, 'Uusi ohje');
    await page.getByLabel('Otsikko').fill(`Tulostin ${IMG}`);
    await page.getByLabel('Yhteenveto yhdellä lyhyellä lauseella').fill(SCRIPT);
    await page.getByRole('button', { name: 'Lisää vaihe' }).click();
    const step = page.locator('.editor-steps > li').first();
    await step.getByLabel('Mitä tehdään').fill(`Paina ${IMG}`);
    await page.getByText('Kaikki muutokset on tallennettu tähän tablettiin.').waitFor();
    expect(await injectedElements()).toBe(0);

    await page.getByRole('button', { name: TEXT.handOver }).click();
    await heading(page, TEXT.home);
    await page.getByLabel('Hae ohjetta').fill('tulostin');
    const card = page.getByRole('link', { name: /Tulostin/ });
    await expect.poll(() => card.textContent()).toBe(`Tulostin ${IMG}${SCRIPT}Oma ohje`);
    await card.click();
    await page.getByText(`Paina ${IMG}`).waitFor();
    expect(await injectedElements()).toBe(0);
    expect(dialogs).toEqual([]);
  });
});
