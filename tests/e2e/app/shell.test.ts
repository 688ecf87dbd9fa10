// The participant home on real tablets and phones: size budget, no sideways scrolling, big targets, no axe findings.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations } from '../support/axe';
import { newTablet } from '../support/harness';
import { it } from '../support/fixtures';

// The JavaScript the participant home loads on a first start, gzip. The built-in pictures' 228 addresses are a JSON file
// (builtin-pictures.json), not JavaScript, since issue 16. The budget is what the home loaded before issue 19 (73.8 KB
// measured at 86c0e5d, under a 75 KB budget), so the test proves issue 19 made it no larger: 70.6 KB measured after it.
const BUDGET_BYTES = 73_800;
// The built-in guides worker runs on a thread of its own, on a first start or after a content update only (issue 16:
// the main thread no longer reads and writes the guides); it has its own budget. 34.7 KB measured (Dexie is most of it).
const WORKER_BUDGET_BYTES = 40 * 1000;

async function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const selector = 'a[href], button, input:not([type=radio]):not([type=checkbox]), select, textarea, label.choice, [role=button], [tabindex="0"]';
    return [...document.querySelectorAll<HTMLElement>(selector)]
      .filter((el) => el.offsetParent !== null && !el.classList.contains('skip-link'))
      .map((el) => ({ el, box: el.getBoundingClientRect() }))
      .filter(({ box }) => box.width < 48 || box.height < 48)
      .map(({ el, box }) => `${el.tagName.toLowerCase()} "${el.textContent?.trim()}" ${Math.round(box.width)}x${Math.round(box.height)}`);
  });
}

describe('the participant home', () => {
  it(`loads at most ${BUDGET_BYTES} bytes of gzipped JavaScript`, async ({ browser, app }) => {
    const { context, page } = await newTablet(browser);
    const scripts = new Set<string>();
    const workers = new Set<string>();
    page.on('response', (response) => {
      if (response.request().resourceType() === 'script') scripts.add(new URL(response.url()).pathname);
    });
    page.on('worker', (worker) => workers.add(new URL(worker.url()).pathname));
    await page.goto(app.url, { waitUntil: 'networkidle' });
    await page.getByRole('heading', { level: 1 }).waitFor();
    const sizes = [...scripts].map((path) => ({ path, gzip: gzipSync(readFileSync(join(app.staticDir, path))).length, worker: workers.has(path) }));
    const total = sizes.filter((s) => !s.worker).reduce((sum, { gzip }) => sum + gzip, 0);
    console.log(
      [
        'JavaScript loaded by the participant home (gzip bytes):',
        ...sizes.map((s) => `  ${s.path}  ${s.gzip}${s.worker ? '  (a worker: its own thread and budget)' : ''}`),
        `  total on the page  ${total} of ${BUDGET_BYTES}`,
      ].join('\n'),
    );
    expect(sizes.length).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual(BUDGET_BYTES);
    for (const worker of sizes.filter((s) => s.worker)) expect(worker.gzip, worker.path).toBeLessThanOrEqual(WORKER_BUDGET_BYTES);
    await context.close();
  });

  it('asks for two JavaScript files before its first paint: the entry and the first screen', async ({ app }) => {
    // Each file is one more request through the service worker before anything shows (issue 16: the offline cold
    // start was 1.5x a blank PWA's with 22 of them, 1.2-1.3x with two, in the browser bench).
    const html = readFileSync(join(app.staticDir, 'index.html'), 'utf8');
    const scripts = [...html.matchAll(/<script[^>]*\ssrc="([^"]+)"|<link rel="modulepreload"[^>]*\shref="([^"]+)"/g)].map((m) => m[1] ?? m[2]);
    expect(scripts).toHaveLength(2);
    expect(scripts.some((path) => /\/assets\/first-screen-[\w-]+\.js$/.test(path!))).toBe(true);
  });

  for (const viewport of [
    { width: 1024, height: 768 },
    { width: 768, height: 1024 },
    { width: 360, height: 740 },
  ]) {
    it(`fits ${viewport.width}x${viewport.height} without sideways scrolling, with 48 px targets, at every text size (home, settings, guide steps)`, async ({
      browser,
      app,
    }) => {
      const { context, page } = await newTablet(browser, viewport);
      for (const [size, value] of [
        ['Tavallinen', 'normal'],
        ['Erittäin suuri', 'xlarge'],
      ] as const) {
        await page.goto(`${app.url}/settings`);
        await page.getByRole('radio', { name: size }).check();
        await expect.poll(() => page.evaluate(() => document.documentElement.dataset.textSize)).toBe(value); // saved, then applied
        for (const path of ['/', '/settings', '/guides/celia-aanikirjat/2', '/guides/kosketusnayton-perusteet/3']) {
          await page.goto(`${app.url}${path}`);
          await page.getByRole('heading', { level: 1 }).waitFor();
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
          expect(await page.evaluate(() => document.documentElement.dataset.textSize)).toBe(value);
          expect(overflow, `${path} at ${size}`).toBeLessThanOrEqual(0);
          expect(await smallTargets(page), `${path} at ${size}`).toEqual([]);
        }
      }
      await context.close();
    });
  }

  it('is installable: the manifest from the root file, linked from the page, with icons that load', async ({ browser, app }) => {
    const { context, page } = await newTablet(browser);
    await page.goto(app.url);
    const href = await page.locator('link[rel=manifest]').getAttribute('href');
    expect(href).toBeTruthy();
    const manifest = (await (await fetch(new URL(href!, app.url))).json()) as Record<string, unknown> & {
      icons: { src: string; sizes: string; purpose?: string }[];
    };
    expect(manifest).toMatchObject({ name: 'Digituki', lang: 'fi', display: 'standalone', start_url: '/', scope: '/', theme_color: '#0b6e4f' });
    expect(manifest.icons.map((icon) => `${icon.sizes} ${icon.purpose ?? 'any'}`).sort()).toEqual(['192x192 any', '512x512 any', '512x512 maskable']);
    for (const icon of manifest.icons) {
      const size = await page.evaluate(async (src) => {
        const img = new Image();
        img.src = src;
        await img.decode();
        return `${img.naturalWidth}x${img.naturalHeight}`;
      }, icon.src);
      expect(size).toBe(icon.sizes);
    }
    await context.close();
  });

  it('has no axe-core violations on the home and settings screens', async ({ browser, app }) => {
    const { context, page } = await newTablet(browser);
    for (const path of ['/', '/settings', '/instructor']) {
      await page.goto(`${app.url}${path}`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      expect(await axeViolations(page), path).toEqual([]);
    }
    await context.close();
  });
});
