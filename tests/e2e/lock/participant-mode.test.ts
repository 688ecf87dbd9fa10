// A participant holding the tablet cannot reach the instructor area: not by address, not by the back button after
// the instructor handed over, not by reloading. The PIN screen shows at once; no instructor heading flashes and the
// instructor area's code (and so its data queries) is not even loaded before the PIN is right.
import { afterAll, describe, expect } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { axeViolations } from '../support/axe';
import { newTablet } from '../support/harness';
import { it } from '../support/fixtures';
import { handOver, heading, installHeadingRecorder, instructorChunksLoaded, resetSeenHeadings, seenHeadings, setUpFirstAdmin, TEXT, unlock } from './support';

const INSTRUCTOR_PATHS = ['/instructor', '/instructor/profiles', '/instructor/tablet', '/instructor/sessions', '/instructor/sessions/new'];
const PIN = '482913';

describe('participant mode on a shared tablet', () => {
  let context: BrowserContext;
  let page: Page;
  it.beforeAll(async ({ browser, app }) => {
    ({ context, page } = await newTablet(browser));
    await installHeadingRecorder(page);
    await setUpFirstAdmin(page, app.url, 'Anna', PIN);
    await handOver(page);
  });
  afterAll(async () => {
    await context.close();
  });

  it('every instructor address opened by URL shows only the PIN screen, and loads no instructor code', async ({ app }) => {
    for (const path of INSTRUCTOR_PATHS) {
      await page.goto(`${app.url}${path}`);
      await heading(page, TEXT.pin);
      expect(await seenHeadings(page), path).toEqual([TEXT.pin]);
      expect(await instructorChunksLoaded(page), path).toEqual([]);
      expect(await page.locator('.instructor-bar').count()).toBe(0);
    }
  });

  it('the back button after "hand to participant" shows the PIN screen, not the screen the instructor left', async ({ app }) => {
    await page.goto(`${app.url}/instructor/tablet`);
    await unlock(page, PIN);
    await heading(page, TEXT.tablet);
    await handOver(page);
    await resetSeenHeadings(page);
    await page.goBack();
    expect(new URL(page.url()).pathname).toBe('/instructor/tablet');
    await heading(page, TEXT.pin);
    expect(await seenHeadings(page)).toEqual([TEXT.pin]);
  });

  it('the logo leads to the instructor home while unlocked; handing over locks, so the back button leads to the PIN screen', async () => {
    await unlock(page, PIN);
    await heading(page, TEXT.tablet);
    await page.getByRole('link', { name: 'Digituki' }).click();
    await heading(page, TEXT.instructor);
    await page.goBack(); // still unlocked: back on the tablet screen
    await heading(page, TEXT.tablet);
    await handOver(page);
    await resetSeenHeadings(page);
    await page.goBack();
    await heading(page, TEXT.pin);
    expect(await seenHeadings(page)).toEqual([TEXT.pin]);
  });

  it('a reload of an unlocked instructor screen comes back locked', async ({ app }) => {
    await unlock(page, PIN);
    await heading(page, TEXT.tablet);
    await page.getByRole('link', { name: 'Digituki' }).click(); // the instructor home; then come back by address
    await page.goto(`${app.url}/instructor/profiles`);
    await unlock(page, PIN);
    await heading(page, TEXT.profiles);
    await page.reload();
    await heading(page, TEXT.pin);
    expect(await seenHeadings(page)).toEqual([TEXT.pin]);
    expect(await instructorChunksLoaded(page)).toEqual([]);
  });
});

describe('first-run setup and the PIN screen', () => {
  it('sets up the first instructor, locks on hand-over, unlocks with the PIN pad, with no axe findings', async ({ browser, app }) => {
    const { context, page } = await newTablet(browser);
    await page.goto(`${app.url}/instructor`);
    await heading(page, TEXT.setup);
    expect(await axeViolations(page), 'setup screen').toEqual([]);
    await page.getByRole('button', { name: 'Luo profiili' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toBe('Kirjoita nimimerkki.');
    await page.getByLabel('Nimimerkki', { exact: true }).fill('Ville');
    await page.getByLabel('PIN-koodi, vähintään 6 numeroa', { exact: true }).fill('12345');
    await page.getByLabel('Sama PIN-koodi uudelleen', { exact: true }).fill('12345');
    await page.getByRole('button', { name: 'Luo profiili' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toBe('PIN-koodissa pitää olla 6–12 numeroa.');
    await page.getByLabel('PIN-koodi, vähintään 6 numeroa', { exact: true }).fill('271828');
    await page.getByLabel('Sama PIN-koodi uudelleen', { exact: true }).fill('271828');
    await page.getByRole('button', { name: 'Luo profiili' }).click();
    await heading(page, TEXT.instructor);
    await expect(page.locator('.instructor-bar').textContent()).resolves.toContain('Ohjaaja: Ville');

    await handOver(page);
    await page.goto(`${app.url}/instructor`);
    await heading(page, TEXT.pin);
    expect(await axeViolations(page), 'PIN screen').toEqual([]);
    const pad = page.getByRole('group', { name: 'Numeronäppäimet' });
    for (const digit of '271828') await pad.getByRole('button', { name: digit, exact: true }).click();
    await heading(page, TEXT.instructor); // the sixth digit opens it: no "Avaa" tap
    await context.close();
  });

  it('five wrong PINs bring the delay message; it holds over a reload and ends after the delay', async ({ browser, app }) => {
    const { context, page } = await newTablet(browser);
    await page.clock.install();
    await setUpFirstAdmin(page, app.url, 'Sara', '314159');
    await handOver(page);
    await page.goto(`${app.url}/instructor`);
    for (let attempt = 1; attempt <= 4; attempt += 1) {
      await unlock(page, '000000');
      await expect(page.getByRole('alert').textContent()).resolves.toBe('Väärä PIN-koodi. Yritä uudelleen.');
    }
    await unlock(page, '000000');
    await page.getByRole('alert').filter({ hasText: 'Liian monta' }).waitFor();
    await expect(page.getByRole('alert').textContent()).resolves.toBe('Liian monta väärää PIN-koodia. Yritä uudelleen 30 sekunnin päästä.');
    // Even the right PIN is refused during the delay, also after a reload.
    await page.reload();
    await unlock(page, '314159');
    await page.getByRole('alert').filter({ hasText: 'Liian monta' }).waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(TEXT.pin);
    await page.clock.fastForward('00:31');
    await unlock(page, '314159');
    await heading(page, TEXT.instructor);
    await context.close();
  });

  it('locks by itself after the idle minutes chosen in the tablet settings', async ({ browser, app }) => {
    const { context, page } = await newTablet(browser);
    await page.clock.install();
    await setUpFirstAdmin(page, app.url, 'Mika', '161803');
    await page.getByRole('link', { name: 'Lukitus, tallennus, varmuuskopio ja tyhjennys' }).click();
    await heading(page, TEXT.tablet);
    await page.getByRole('radio', { name: '1 minuuttiin' }).check();
    await page.getByRole('status').filter({ hasText: 'Tallennettu.' }).waitFor();
    await page.getByRole('link', { name: 'Digituki' }).click();
    await page.goto(`${app.url}/instructor`);
    await unlock(page, '161803');
    await heading(page, TEXT.instructor);

    await page.clock.fastForward('00:40');
    await page.getByRole('heading', { level: 1, name: TEXT.instructor }).waitFor();
    await page.mouse.click(5, 400); // a touch starts the minute again
    await page.clock.fastForward('00:40');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(TEXT.instructor);
    await page.clock.fastForward('00:25');
    await heading(page, TEXT.pin);
    expect(await page.locator('.instructor-bar').count()).toBe(0);
    await context.close();
  });
});
