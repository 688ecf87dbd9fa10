// The site admin's longer passcode in real Chromium (issue 13 item 5): set up with a passcode, lock, unlock with it
// from a text field (no number pad) that a "show" control reveals; a wrong one is refused; axe finds nothing; and
// the admin switches back to a PIN, which then opens the area from the number pad as before.
import { afterAll, describe, expect } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { axeViolations } from '../support/axe';
import { newTablet } from '../support/harness';
import { it } from '../support/fixtures';
import { handOver, heading, TEXT, unlock } from './support';

const PASSCODE = 'kahvi7Kuppi42';
const PIN = '604918';

describe('a site admin with a longer passcode', () => {
  let context: BrowserContext;
  let page: Page;
  it.beforeAll(async ({ browser }) => {
    ({ context, page } = await newTablet(browser));
  });
  afterAll(async () => {
    await context.close();
  });

  it('is set up with a passcode instead of a PIN; the set-up form has no axe findings', async ({ app }) => {
    await page.goto(`${app.url}/instructor`);
    await heading(page, TEXT.setup);
    await page.getByLabel('Nimimerkki', { exact: true }).fill('Anna');
    await page.getByRole('radio', { name: 'Pidempi salasana' }).check();
    await page.getByLabel('Salasana', { exact: true }).fill('kahvikuppi'); // letters only: refused in plain words
    await page.getByLabel('Sama salasana uudelleen', { exact: true }).fill('kahvikuppi');
    await page.getByRole('button', { name: 'Luo profiili' }).click();
    await page.getByRole('alert').filter({ hasText: 'Salasanassa pitää olla sekä kirjaimia että numeroita.' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel('Salasana', { exact: true }).fill(PASSCODE);
    await page.getByLabel('Sama salasana uudelleen', { exact: true }).fill(PASSCODE);
    await page.getByRole('button', { name: 'Luo profiili' }).click();
    await heading(page, TEXT.instructor);
  });

  it('after locking, the unlock screen has a text field with a show control and no number pad; axe finds nothing', async ({ app }) => {
    await handOver(page);
    await page.goto(`${app.url}/instructor`);
    await heading(page, 'Ohjaajan salasana'); // not "PIN-koodi": this profile opens with a passcode
    const field = page.getByLabel('Salasana', { exact: true });
    expect(await field.getAttribute('type')).toBe('password');
    expect(await page.getByRole('group', { name: 'Numeronäppäimet' }).count()).toBe(0);
    expect(await page.locator('.pin-pad').count()).toBe(0);
    const show = page.getByRole('button', { name: 'Näytä salasana' });
    const box = (await show.boundingBox())!;
    expect(Math.min(box.width, box.height)).toBeGreaterThanOrEqual(48);
    await field.fill('kahvi7Kuppi43');
    await show.click();
    expect(await field.getAttribute('type')).toBe('text');
    expect(await show.getAttribute('aria-pressed')).toBe('true');
    expect(await field.inputValue()).toBe('kahvi7Kuppi43');
    expect(await axeViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Avaa' }).click();
    await page.getByRole('alert').filter({ hasText: 'Väärä salasana. Yritä uudelleen.' }).waitFor();
    await heading(page, 'Ohjaajan salasana');
    await field.fill(PASSCODE);
    await page.getByRole('button', { name: 'Avaa' }).click();
    await heading(page, TEXT.instructor);
  });

  it('switches back to a PIN under "Change my PIN"; then the PIN opens the area from the number pad', async ({ app }) => {
    await page.getByRole('link', { name: 'Ohjaajaprofiilit ja PIN-koodit' }).click(); // a reload would lock
    await heading(page, TEXT.profiles);
    const form = page.locator('form', { has: page.getByRole('heading', { name: 'Vaihda PIN-koodini' }) });
    await form.getByLabel('Nykyinen salasana', { exact: true }).fill(PASSCODE);
    await form.getByRole('radio', { name: 'PIN-koodi (numeroita)' }).check();
    await form.getByLabel('Uusi PIN-koodi, vähintään 6 numeroa', { exact: true }).fill(PIN);
    await form.getByLabel('Uusi PIN-koodi uudelleen', { exact: true }).fill(PIN);
    expect(await axeViolations(page)).toEqual([]);
    await form.getByRole('button', { name: 'Tallenna' }).click();
    await page.getByRole('status').filter({ hasText: 'PIN-koodi on vaihdettu.' }).waitFor();

    await handOver(page);
    await page.goto(`${app.url}/instructor`);
    await heading(page, TEXT.pin);
    expect(await page.getByRole('group', { name: 'Numeronäppäimet' }).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Näytä salasana' }).count()).toBe(0);
    await unlock(page, PIN);
    await heading(page, TEXT.instructor);
  });
});
