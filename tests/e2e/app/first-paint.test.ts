// The participant home's first paint: nothing on it moves as data fills in (CLS 0, measured by the browser's own
// layout-shift entries), on a first visit and on a later offline one; and the very first frame already shows the
// language and text size chosen before (read from the synchronous mirror, not after IndexedDB opens).
import { describe, expect } from 'vitest';
import type { Page } from 'playwright-core';
import { STARTED_MARK } from '../../../src/app/started';
import { KEYVAL_PLACE } from '../../../src/db/device-local';
import { newTablet, waitForServiceWorker } from '../support/harness';
import { it } from '../support/fixtures';

/** Sums every layout shift of the page (those right after a tap or key press excluded, as CLS does). */
const LAYOUT_SHIFTS = `(() => {
  window.__shifts = [];
  const record = (entries) => {
    for (const entry of entries) {
      if (entry.hadRecentInput) continue;
      const where = (s) => (s.node.className || s.node.nodeName) + ' ' + JSON.stringify(s.previousRect) + ' → ' + JSON.stringify(s.currentRect);
      window.__shifts.push({ value: entry.value, sources: (entry.sources || []).map((s) => (s.node ? where(s) : '?')) });
    }
  };
  const observer = new PerformanceObserver((list) => record(list.getEntries()));
  observer.observe({ type: 'layout-shift', buffered: true });
  // Shifts the browser has noted but not yet handed to the observer's callback.
  window.__takeShifts = () => record(observer.takeRecords());
})();`;

async function shifts(page: Page): Promise<{ value: number; sources: string[] }[]> {
  return page.evaluate(() => {
    const recorded = window as unknown as { __shifts: { value: number; sources: string[] }[]; __takeShifts: () => void };
    recorded.__takeShifts();
    return recorded.__shifts;
  });
}

/**
 * Waits for the home to be complete, by what fills it in: the app's start-up work over (STARTED_MARK: database and
 * built-in guides), the library no longer loading (its guides and recent cards), every picture in, the fonts ready,
 * no request under way; then two frames, so a shift all that causes is laid out and noted.
 */
async function homeSettled(page: Page): Promise<void> {
  await page.getByRole('heading', { level: 1 }).waitFor();
  await page.locator('.tiles').waitFor();
  await page.waitForFunction(
    (mark) =>
      performance.getEntriesByName(mark, 'mark').length > 0 &&
      document.querySelector('.library:not([aria-busy="true"])') !== null &&
      [...document.images].every((image) => image.complete),
    STARTED_MARK,
  );
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await page.waitForLoadState('networkidle');
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

/** Whether the tablet's own settings database lists the guide among the recently opened (read in the page). */
async function recentGuideStored({ database, store, slug }: { database: string; store: string; slug: string }): Promise<boolean> {
  // Not opened before the app made it: opening would make an empty database without the app's store.
  if (!(await indexedDB.databases()).some((known) => known.name === database)) return false;
  return new Promise((resolve) => {
    const opening = indexedDB.open(database);
    opening.onerror = () => resolve(false);
    opening.onsuccess = () => {
      const connection = opening.result;
      const answer = (stored: boolean) => {
        connection.close();
        resolve(stored);
      };
      if (!connection.objectStoreNames.contains(store)) return answer(false);
      const reading = connection.transaction(store).objectStore(store).get('recentGuides');
      reading.onsuccess = () => answer(Array.isArray(reading.result) && reading.result.includes(slug));
      reading.onerror = () => answer(false);
    };
  });
}

describe('the participant home does not move while it fills in', () => {
  for (const viewport of [
    { width: 1024, height: 768 },
    { width: 360, height: 740 },
  ]) {
    it(`has no layout shift at ${viewport.width}x${viewport.height}, on the first visit and on a later offline visit with recently opened guides`, async ({
      browser,
      app,
    }) => {
      const { context, page } = await newTablet(browser, viewport);
      await page.addInitScript(LAYOUT_SHIFTS);
      await page.goto(app.url);
      await waitForServiceWorker(page);
      await homeSettled(page);
      expect(await shifts(page), 'first visit').toEqual([]);

      // A person opened a guide, so the next start shows "Viimeksi avatut" above the topics.
      await page.goto(`${app.url}/guides/kosketusnayton-perusteet/1`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      // The guide is remembered just after it shows; the page is left only once that is stored, as a person would.
      await page.waitForFunction(recentGuideStored, { ...KEYVAL_PLACE, slug: 'kosketusnayton-perusteet' });
      await context.setOffline(true);
      await page.goto(app.url);
      await homeSettled(page);
      await page.getByRole('heading', { name: 'Viimeksi avatut' }).waitFor();
      expect(await shifts(page), 'later offline visit').toEqual([]);
      await context.close();
    });
  }
});

/** Records the first frame that shows the home's heading: its words, the page language and the text size. */
const FIRST_FRAME = `(() => {
  const look = () => {
    const heading = document.querySelector('h1');
    if (!heading || !heading.textContent.trim()) return requestAnimationFrame(look);
    const page = document.documentElement;
    window.__firstFrame = { heading: heading.textContent.trim(), lang: page.lang, textSize: page.dataset.textSize, fontSize: getComputedStyle(page).fontSize };
  };
  requestAnimationFrame(look);
  // Also every heading put in the page before that frame: none may be in another language.
  window.__headings = [];
  new MutationObserver(() => {
    const heading = document.querySelector('h1');
    if (heading && heading.textContent.trim() && window.__headings.at(-1) !== heading.textContent.trim()) window.__headings.push(heading.textContent.trim());
  }).observe(document, { childList: true, subtree: true, characterData: true });
})();`;

describe('the first frame after a restart', () => {
  it('already shows the language and text size chosen before (Swedish, large), offline', async ({ browser, app }) => {
    const { context, page } = await newTablet(browser);
    await page.goto(`${app.url}/settings`);
    await waitForServiceWorker(page);
    await page.getByRole('radio', { name: 'Svenska' }).check();
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('sv');
    await page.getByRole('radio', { name: 'Stor', exact: true }).check();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.textSize)).toBe('large');
    await page.goto(app.url);
    await page.getByRole('heading', { level: 1, name: 'Vad vill du lära dig?' }).waitFor();

    await context.setOffline(true);
    await page.addInitScript(FIRST_FRAME);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Vad vill du lära dig?' }).waitFor();
    await page.waitForFunction(() => '__firstFrame' in window);
    const first = await page.evaluate(() => (window as unknown as { __firstFrame: unknown }).__firstFrame);
    expect(first).toEqual({ heading: 'Vad vill du lära dig?', lang: 'sv', textSize: 'large', fontSize: '22px' });
    expect(await page.evaluate(() => (window as unknown as { __headings: string[] }).__headings)).toEqual(['Vad vill du lära dig?']);
    await context.close();
  });
});
