// A participant in a shelter with no Wi-Fi finds a guide by searching, walks it, hears it read aloud; all offline.
import { afterAll, describe, expect } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { builtinGuides } from '../../../src/guides/content';
import { axeViolations } from '../support/axe';
import { installFakeSpeech } from '../support/speech';
import { newTablet, waitForServiceWorker, type AppUnderTest } from '../support/harness';
import { it } from '../support/fixtures';

const celia = builtinGuides.find((g) => g.slug === 'celia-aanikirjat')!;
const touch = builtinGuides.find((g) => g.steps.some((s) => s.practice === 'swipe'))!;

let context: BrowserContext;
let page: Page;

/** A new tablet that opened the app once online, then goes offline. */
async function goOffline({ browser, app }: { browser: Browser; app: AppUnderTest }, voices: string[] = []): Promise<void> {
  ({ context, page } = await newTablet(browser));
  await context.addInitScript(installFakeSpeech(voices));
  await page.goto(app.url);
  await waitForServiceWorker(page);
  // The built-in guides are in the database once a topic lists them.
  await page.getByRole('link', { name: 'Kirjat ja musiikki' }).click();
  await page.getByRole('link', { name: new RegExp(celia.title.fi) }).waitFor();
  await context.setOffline(true);
  await page.goto(app.url);
  await page.getByRole('heading', { level: 1, name: 'Mitä haluat oppia?' }).waitFor();
}

describe('a first start', () => {
  it('loads the built-in guides in a worker: the page itself reads no guide file, and the topics list them', async ({ browser, app }) => {
    const { context: first, page: tablet } = await newTablet(browser);
    const workers: string[] = [];
    tablet.on('worker', (worker) => workers.push(new URL(worker.url()).pathname));
    await tablet.goto(app.url);
    await tablet.getByRole('link', { name: 'Kirjat ja musiikki' }).click();
    await tablet.getByRole('link', { name: new RegExp(celia.title.fi) }).waitFor();
    expect(workers.filter((path) => /\/builtin\.worker-[\w-]+\.js$/.test(path))).toHaveLength(1);
    // The page's own requests (a worker's are its own): no guide file and no picture list among them.
    const pageRead = await tablet.evaluate(() => performance.getEntriesByType('resource').map((entry) => new URL(entry.name).pathname));
    expect(pageRead.filter((path) => path.endsWith('.json'))).toEqual([]);
    // A later start with the same build finds them in place and starts no worker.
    await tablet.goto(app.url);
    await tablet.getByRole('heading', { level: 1, name: 'Mitä haluat oppia?' }).waitFor();
    await tablet.getByRole('link', { name: 'Kirjat ja musiikki' }).click();
    await tablet.getByRole('link', { name: new RegExp(celia.title.fi) }).waitFor();
    expect(workers.filter((path) => path.includes('builtin.worker'))).toHaveLength(1);
    await first.close();
  });
});

async function stepShows(number: number, total: number, text: string): Promise<void> {
  await page.getByText(`Vaihe ${number} / ${total}`, { exact: true }).waitFor();
  expect(await page.locator('.step-text').textContent()).toBe(text);
}

async function swipe(selector: string, dx: number): Promise<void> {
  const box = (await page.locator(selector).boundingBox())!;
  const y = box.y + Math.min(40, box.height / 2);
  const x = box.x + box.width / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + dx / 2, y, { steps: 4 });
  await page.mouse.move(x + dx, y, { steps: 4 });
  await page.mouse.up();
}

describe('the guide library, offline after one visit', () => {
  it.beforeAll(({ browser, app }) => goOffline({ browser, app }));
  afterAll(() => context.close());

  it('finds the Celia guide by searching "aanikirja" and walks all its steps with Next and with swipes', async () => {
    await page.getByLabel('Hae ohjetta').fill('aanikirja');
    const results = page.locator('.guide-list a');
    await results.first().waitFor();
    const titles = await results.allTextContents();
    expect(titles.some((t) => t.includes(celia.title.fi))).toBe(true);
    await page.getByRole('link', { name: new RegExp(celia.title.fi) }).click();

    const total = celia.steps.length;
    await stepShows(1, total, celia.steps[0]!.text.fi);
    const half = Math.ceil(total / 2);
    for (let n = 2; n <= half; n += 1) {
      await page.getByRole('button', { name: 'Seuraava' }).click();
      await stepShows(n, total, celia.steps[n - 1]!.text.fi);
    }
    for (let n = half + 1; n <= total; n += 1) {
      await swipe('.step', -200);
      await stepShows(n, total, celia.steps[n - 1]!.text.fi);
    }
    await swipe('.step', 200); // swiping the other way goes back
    await stepShows(total - 1, total, celia.steps[total - 2]!.text.fi);
    await page.keyboard.press('ArrowRight');
    await stepShows(total, total, celia.steps[total - 1]!.text.fi);
    expect(new URL(page.url()).pathname).toBe(`/guides/${celia.slug}/${total}`);

    await page.getByRole('button', { name: 'Valmis' }).click();
    await page.getByRole('heading', { level: 1, name: 'Valmis!' }).waitFor();
    expect(await page.getByRole('link', { name: 'Kerro, miltä tänään tuntui' }).getAttribute('href')).toBe('/feedback');
    await page.getByRole('link', { name: 'Takaisin ohjeisiin' }).click();
    await page.getByRole('heading', { name: 'Viimeksi avatut' }).waitFor();
    expect(await page.locator('.guide-list a').first().textContent()).toContain(celia.title.fi);
  });

  it('opens a deep link to a step offline, also after a reload', async ({ app }) => {
    await page.goto(`${app.url}/guides/${celia.slug}/3`);
    await stepShows(3, celia.steps.length, celia.steps[2]!.text.fi);
    await page.reload();
    await stepShows(3, celia.steps.length, celia.steps[2]!.text.fi);
    expect(await page.locator('img.step-picture').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  });

  it('has the tap and swipe practice inside the touch-screen guide, and practising never turns the page', async ({ app }) => {
    const tapStep = touch.steps.findIndex((s) => s.practice === 'tap') + 1;
    const swipeStep = touch.steps.findIndex((s) => s.practice === 'swipe') + 1;
    await page.goto(`${app.url}/guides/${touch.slug}/${tapStep}`);
    await page.getByRole('button', { name: 'Napauta tätä' }).click();
    await page.getByText('Hienoa! Napautit oikein.').waitFor();
    await page.goto(`${app.url}/guides/${touch.slug}/${swipeStep}`);
    await swipe('[data-testid=practice-swipe]', -150);
    await page.getByText('Hienoa! Pyyhkäisit oikein.').waitFor();
    expect(new URL(page.url()).pathname).toBe(`/guides/${touch.slug}/${swipeStep}`);
  });

  it('shows every built-in step picture offline, in every language', async () => {
    const result = await page.evaluate(async () => {
      const urls = await new Promise<string[]>((resolve, reject) => {
        const request = indexedDB.open('digituki');
        request.onsuccess = () => {
          const all = request.result.transaction('guideSteps').objectStore('guideSteps').getAll();
          all.onsuccess = () => resolve((all.result as { imageUrl?: string }[]).map((s) => s.imageUrl ?? ''));
          all.onerror = () => reject(all.error);
        };
        request.onerror = () => reject(request.error);
      });
      const broken: string[] = [];
      for (const url of new Set(urls)) {
        const img = new Image();
        img.src = url;
        try {
          await img.decode();
          if (img.naturalWidth === 0) broken.push(url);
        } catch {
          broken.push(url || '(no picture)');
        }
      }
      return { steps: urls.length, broken };
    });
    expect(result.steps).toBe(builtinGuides.reduce((sum, g) => sum + g.steps.length, 0) * 3);
    expect(result.broken).toEqual([]);
  });

  it('lists guides by topic and finds guides in Swedish after a language change', async ({ app }) => {
    await page.goto(`${app.url}/settings`);
    await page.getByRole('radio', { name: 'Svenska' }).check();
    await page.getByRole('heading', { level: 1, name: 'Inställningar' }).waitFor(); // saved before it switches
    await page.goto(app.url);
    await page.getByLabel('Sök en guide').fill('ljudbok');
    await page.getByRole('link', { name: new RegExp(celia.title.sv) }).waitFor();
    await page.goto(`${app.url}/settings`);
    await page.getByRole('radio', { name: 'Suomi' }).check();
    await page.getByRole('heading', { level: 1, name: 'Asetukset' }).waitFor();
  });

  it('has no axe-core violations on the library and the viewer', async ({ app }) => {
    const warning = builtinGuides.find((g) => g.steps.some((s) => s.kind === 'warning'))!;
    const places = [
      '/',
      '/?category=books',
      `/guides/${celia.slug}/1`,
      `/guides/${warning.slug}/${warning.steps.findIndex((s) => s.kind === 'warning') + 1}`,
      `/guides/${touch.slug}/${touch.steps.findIndex((s) => s.practice === 'tap') + 1}`,
      `/guides/${celia.slug}/done`,
    ];
    for (const place of places) {
      await page.goto(`${app.url}${place}`);
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      await page.waitForLoadState('networkidle');
      expect(await axeViolations(page), place).toEqual([]);
    }
    await page.goto(app.url);
    await page.getByLabel('Hae ohjetta').fill('pankki');
    await page.locator('.guide-list a').first().waitFor();
    expect(await axeViolations(page), 'search results').toEqual([]);
  });
});

describe('read-aloud', () => {
  afterAll(() => context.close());

  it('has no read-aloud button where the browser has no voice for the language', async ({ browser, app }) => {
    await goOffline({ browser, app }, []);
    await page.goto(`${app.url}/guides/${celia.slug}/1`);
    await page.locator('.step-text').waitFor();
    expect(await page.getByRole('button', { name: 'Lue ääneen' }).count()).toBe(0);
    await context.close();
  });

  it('reads the step in the guide language and highlights the word being read', async ({ browser, app }) => {
    await goOffline({ browser, app }, ['fi-FI', 'sv-SE']);
    await page.goto(`${app.url}/guides/${celia.slug}/2`);
    await page.getByRole('button', { name: 'Lue ääneen' }).click();
    const spoken = await page.evaluate(() => (window as unknown as { __spoken: { text: string; lang: string; voice: string }[] }).__spoken);
    expect(spoken).toEqual([{ text: celia.steps[1]!.text.fi, lang: 'fi-FI', voice: 'fi-FI' }]);

    const text = celia.steps[1]!.text.fi;
    const second = text.indexOf(' ') + 1;
    await page.evaluate((at) => (window as unknown as { __sayWord: (i: number) => void }).__sayWord(at), second);
    expect(await page.locator('mark.spoken-word').textContent()).toBe(text.slice(second).split(/\s/)[0]);
    await page.getByRole('button', { name: 'Lopeta lukeminen' }).click();
    expect(await page.locator('mark.spoken-word').count()).toBe(0);

    await page.goto(`${app.url}/settings`);
    await page.getByRole('radio', { name: 'Svenska' }).check();
    await page.getByRole('heading', { level: 1, name: 'Inställningar' }).waitFor(); // saved before it switches
    await page.goto(`${app.url}/guides/${celia.slug}/1`);
    await page.getByRole('button', { name: 'Läs högt' }).click();
    const last = await page.evaluate(() => (window as unknown as { __spoken: { text: string; lang: string }[] }).__spoken.at(-1));
    expect(last).toEqual({ text: celia.steps[0]!.text.sv, lang: 'sv-FI', voice: 'sv-SE' });
  });
});
