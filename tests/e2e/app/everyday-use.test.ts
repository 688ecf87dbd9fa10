// A new instructor's drop-in day on a 1024×768 tablet: the editor opened first looks right, an empty log cannot be
// finished, a delete asks where it can be seen, a typical log from a locked tablet takes at most 12 taps, and no
// instructor screen is a dead end. Screenshots of the main screens are saved for a person to look at.
import { afterAll, describe, expect } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { axeViolations } from '../support/axe';
import { newTablet, waitForServiceWorker, type AppUnderTest } from '../support/harness';
import { it } from '../support/fixtures';
import { saveScreenshot } from '../support/screenshots';
import { heading, setUpFirstAdmin, unlock } from '../lock/support';
import { readTable, tapCounter } from '../sessions/tablet-data';

const PIN = '582914';

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

it.beforeAll(async ({ browser, app }) => {
  ({ context, page } = await newTablet(browser));
  await page.goto(`${app.url}/`);
  await waitForServiceWorker(page);
});
afterAll(async () => {
  await context?.close();
});

describe('the first instructor screen of the day', () => {
  it('is the guide editor, and its fields are styled like every other form', async ({ app }) => {
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
        return (
          s && {
            height: el!.getBoundingClientRect().height,
            width: el!.getBoundingClientRect().width,
            border: s.borderTopWidth,
            radius: s.borderTopLeftRadius,
            font: s.fontFamily,
            size: s.fontSize,
          }
        );
      };
      return {
        title: read(document.querySelector('#guide-title')),
        category: read(document.querySelector('#guide-category')),
        text: read(document.querySelector('.editor-step textarea')),
      };
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
  it('refuses an untouched Valmis and says what is missing next to it', async ({ app }) => {
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

describe('a typical drop-in log', () => {
  it('takes at most 12 taps from a locked tablet, with no scrolling, and says it was saved', async ({ app }) => {
    await page.goto(`${app.url}/`); // a reload locks the instructor area: the tablet is back with the participants
    await heading(page, 'Mitä haluat oppia?');
    const { tap, count } = tapCounter();
    /** A tap on something the instructor can see without scrolling. */
    const seenTap = async (target: ReturnType<Page['locator']>) => {
      await target.waitFor();
      // Not scrolled, and the middle of the target is the target itself (not under the Valmis bar or off screen).
      const seen = await target.evaluate((element) => {
        const box = element.getBoundingClientRect();
        const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
        return window.scrollY === 0 && box.bottom <= window.innerHeight && hit !== null && (element.contains(hit) || hit.contains(element));
      });
      expect(seen, `seen without scrolling: ${await target.textContent()}`).toBe(true);
      await tap(target);
    };
    const started = Date.now();
    await seenTap(page.getByRole('link', { name: 'Uusi kirjaus' }));
    await heading(page, 'Ohjaajan PIN-koodi');
    for (const digit of PIN) await seenTap(page.getByRole('group', { name: 'Numeronäppäimet' }).getByRole('button', { name: digit, exact: true }));
    await heading(page, 'Uusi ohjauskerta'); // no "Avaa": the sixth digit opens the form
    expect(await page.getByRole('radio', { name: 'Päivystys' }).isChecked()).toBe(true); // the last format, remembered
    await saveScreenshot(page, 'log-form-1024x768');
    await seenTap(page.getByRole('button', { name: 'Lisää yksi: Osallistujat, Uusia' }));
    await seenTap(page.getByText('Yhteydenpito', { exact: true }));
    await seenTap(page.getByText('Tuettuna', { exact: true }));
    await seenTap(page.getByText('15–30 min', { exact: true }));
    await seenTap(page.getByRole('button', { name: 'Valmis', exact: true }));
    await page.getByRole('status').filter({ hasText: 'Tallennettu' }).waitFor();
    const seconds = (Date.now() - started) / 1000;
    console.log(`a typical log from a locked tablet: ${count()} taps, ${seconds.toFixed(1)} s of machine time (a person adds their own)`);
    expect(count()).toBeLessThanOrEqual(12);
    const logs = await liveLogs();
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({ status: 'final', format: 'walk-in', participants: { participant: { new: 1, returning: 0 } } });
  });
});

describe('the instructor area', () => {
  const screens = [
    '/instructor/sessions',
    '/instructor/sessions/new',
    '/instructor/reports',
    '/instructor/guides',
    '/instructor/guides/new',
    '/instructor/sync',
    '/instructor/tablet',
    '/instructor/profiles',
  ];
  /** Moves inside the app as a link would (a reload would lock the instructor area). */
  const goTo = (path: string) =>
    page.evaluate((to) => {
      history.pushState(null, '', to);
      dispatchEvent(new PopStateEvent('popstate'));
    }, path);

  it('has no dead end: every screen reaches the instructor home in one tap, by the menu or by the logo', async () => {
    for (const path of screens) {
      for (const way of ['menu', 'logo'] as const) {
        await goTo(path);
        await page.waitForFunction((want) => location.pathname === want && document.querySelector('h1')?.textContent !== 'Ohjaajan tila', path);
        const link =
          way === 'menu'
            ? page.getByRole('navigation', { name: 'Ohjaajan valikko' }).getByRole('link', { name: 'Etusivu' })
            : page.getByRole('link', { name: 'Digituki' });
        await link.click();
        await heading(page, 'Ohjaajan tila');
        expect(new URL(page.url()).pathname, `${way} from ${path}`).toBe('/instructor');
      }
    }
    expect(await page.getByRole('button', { name: 'Anna tabletti osallistujalle' }).count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('is shown in screenshots of the report and the participant home', async () => {
    await goTo('/instructor/reports');
    await heading(page, 'Raportit');
    await saveScreenshot(page, 'report-1024x768');
    await page.getByRole('button', { name: 'Anna tabletti osallistujalle' }).click();
    await heading(page, 'Mitä haluat oppia?');
    await saveScreenshot(page, 'participant-home-1024x768');
    expect(await axeViolations(page)).toEqual([]);
  });
});

describe('the participant home on a shared tablet', () => {
  const recent = () => page.getByRole('heading', { level: 2, name: 'Viimeksi avatut' });
  async function openAGuide(app: AppUnderTest) {
    await page.goto(`${app.url}/guides/whatsapp-kuva/1`);
    await page.locator('.step-text').waitFor();
    await page.getByRole('link', { name: 'Digituki' }).click();
    await heading(page, 'Mitä haluat oppia?');
    await recent().waitFor();
  }

  it('forgets the guides opened by the last person when the tablet is handed over', async ({ app }) => {
    await openAGuide(app);
    await page.getByRole('link', { name: 'Ohjaajalle' }).click();
    await unlock(page, PIN);
    await heading(page, 'Ohjaajan tila');
    await page.getByRole('button', { name: 'Anna tabletti osallistujalle' }).click();
    await heading(page, 'Mitä haluat oppia?');
    await page.locator('.library[aria-busy="false"]').waitFor(); // the guides and the recent ones are read: nothing more comes
    expect(await recent().count()).toBe(0);
  });

  it('forgets them when the feedback form is reset for the next person', async ({ app }) => {
    await openAGuide(app);
    await page.getByRole('link', { name: 'Anna palautetta' }).click();
    await page.getByRole('heading', { level: 1, name: 'Miltä tänään tuntui?' }).waitFor();
    for (let i = 0; i < 3; i += 1) await page.getByRole('button', { name: 'Seuraava' }).click();
    await page.getByRole('button', { name: 'Lähetä' }).click();
    await page.getByRole('button', { name: 'Seuraava henkilö' }).click();
    await page.getByRole('link', { name: 'Digituki' }).click();
    await heading(page, 'Mitä haluat oppia?');
    await page.locator('.library[aria-busy="false"]').waitFor(); // the guides and the recent ones are read: nothing more comes
    expect(await recent().count()).toBe(0);
  });

  it('shows each guide card with its first step picture, cards of a row equally tall, and a ballot box for Vaikuttaminen', async () => {
    await page.getByRole('link', { name: 'Asiointi ja tunnistautuminen' }).click();
    await page.locator('.guide-card').first().waitFor();
    await expect.poll(() => page.locator('.guide-card img').count()).toBe(await page.locator('.guide-card').count());
    const srcs = await page.locator('.guide-card img').evaluateAll((imgs) => imgs.map((img) => (img as HTMLImageElement).getAttribute('src') ?? ''));
    expect(srcs.every((src) => /\.svg/.test(src))).toBe(true);
    const rows = await page.locator('.guide-card').evaluateAll((cards) => {
      const byTop = new Map<number, number[]>();
      for (const card of cards) {
        const box = card.getBoundingClientRect();
        byTop.set(Math.round(box.top), [...(byTop.get(Math.round(box.top)) ?? []), Math.round(box.height)]);
      }
      return [...byTop.values()];
    });
    for (const heights of rows) expect(new Set(heights).size).toBe(1);
    await page.getByRole('link', { name: 'Kaikki aiheet' }).click();
    const house = 'M5 20V10l7-6 7 6v10M9 20v-6h6v6M12 4v0';
    expect(await page.locator('.tile-say svg path').getAttribute('d')).not.toBe(house);
  });

  it('keeps the topics when a search finds nothing, with one way to clear the search', async () => {
    await page.getByLabel('Hae ohjetta').fill('qqqxxzz');
    await page.getByText('Ohjetta ei löytynyt. Kokeile toista sanaa tai valitse aihe.').waitFor();
    expect(await page.getByRole('heading', { level: 2, name: 'Aiheet' }).count()).toBe(1);
    expect(await page.getByRole('link', { name: 'Yhteydenpito' }).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Tyhjennä haku' }).count()).toBe(1);
    expect(await page.getByLabel('Hae ohjetta').getAttribute('type')).toBe('text'); // a plain field: no second, browser-made ×
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Tyhjennä haku' }).click();
    expect(await page.getByLabel('Hae ohjetta').inputValue()).toBe('');
  });
});

describe('the language', () => {
  it('is three named buttons on the participant home, one tap each', async () => {
    const languages = page.getByRole('group', { name: 'Kieli' });
    expect(await languages.getByRole('button').allTextContents()).toEqual(['Suomi', 'Svenska', 'English']);
    await languages.getByRole('button', { name: 'Svenska' }).click();
    await page.getByRole('group', { name: 'Språk' }).getByRole('button', { name: 'Svenska', pressed: true }).waitFor();
    await page.getByRole('group', { name: 'Språk' }).getByRole('button', { name: 'Suomi' }).click();
    await heading(page, 'Mitä haluat oppia?');
    expect(await axeViolations(page)).toEqual([]);
  });
});
