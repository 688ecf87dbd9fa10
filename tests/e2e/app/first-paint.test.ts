// The participant home's first paint: nothing on it moves as data fills in (CLS 0, measured by the browser's own
// layout-shift entries), on a first visit and on a later offline one; and the very first frame already shows the
// language and text size chosen before (read from the synchronous mirror, not after IndexedDB opens).
import { describe, expect } from 'vitest';
import type { Page } from 'playwright-core';
import { newTablet, waitForServiceWorker } from '../support/harness';
import { it } from '../support/fixtures';

/** Sums every layout shift of the page (those right after a tap or key press excluded, as CLS does). */
const LAYOUT_SHIFTS = `(() => {
  window.__shifts = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.hadRecentInput) continue;
      const where = (s) => (s.node.className || s.node.nodeName) + ' ' + JSON.stringify(s.previousRect) + ' → ' + JSON.stringify(s.currentRect);
      window.__shifts.push({ value: entry.value, sources: (entry.sources || []).map((s) => (s.node ? where(s) : '?')) });
    }
  }).observe({ type: 'layout-shift', buffered: true });
})();`;

async function shifts(page: Page): Promise<{ value: number; sources: string[] }[]> {
  return page.evaluate(() => (window as unknown as { __shifts: { value: number; sources: string[] }[] }).__shifts);
}

/** Waits for the home to be complete: topics, and the built-in guides' recent cards with their pictures if any. */
async function homeSettled(page: Page): Promise<void> {
  await page.getByRole('heading', { level: 1 }).waitFor();
  await page.locator('.tiles').waitFor();
  await page.waitForLoadState('networkidle');
  // Two more frames after the last data arrived: a late shift would be recorded by now.
  await page.waitForTimeout(1500);
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
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
