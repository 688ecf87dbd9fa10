// Guide packs are unpacked off the main thread (issue 12.6), in real Chromium: a zip bomb of about 1 MB that would
// inflate to 1 GiB gets a plain-words error from the unzip worker with nothing changed, and a big honest pack shows
// how far the reading is while it is unpacked.
import { createHash, randomBytes } from 'node:crypto';
import { zipSync, strToU8, type Zippable } from 'fflate';
import { afterAll, describe, expect } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { bombStream, zipOfOne } from '../../unit/guides/zip-bomb';
import { heading, setUpFirstAdmin, unlock } from '../lock/support';
import { axeViolations } from '../support/axe';
import { newTablet, waitForServiceWorker } from '../support/harness';
import { it } from '../support/fixtures';

const PIN = '482916';
let context: BrowserContext;
let page: Page;

/** A pack of one guide and `count` pictures of about 1.5 MB each (PNG by their first bytes), stored as they are. */
function bigPack(count: number): Buffer {
  const pictures = Array.from({ length: count }, () => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(1_500_000)]));
  const hashes = pictures.map((bytes) => createHash('sha256').update(bytes).digest('hex'));
  const guide = {
    id: 'g-iso',
    updatedAt: 1_000,
    slug: 'g-iso',
    lang: 'fi',
    title: 'Iso kuvaopas',
    summary: '',
    category: 'device',
    tags: [],
    source: 'org',
    version: 1,
  };
  const steps = hashes.map((hash, i) => ({
    id: `s${i}`,
    updatedAt: 1_000,
    guideId: 'g-iso',
    orderKey: `a${String(i).padStart(3, '0')}`,
    kind: 'step',
    text: `Vaihe ${i + 1}`,
    alt: 'Kuva',
    imageHash: hash,
  }));
  const files: Zippable = {
    'pack.json': strToU8(JSON.stringify({ format: 'digituki-guide-pack', formatVersion: 1, exportedAt: '2026-01-01T00:00:00.000Z', guides: [guide], steps })),
  };
  pictures.forEach((bytes, i) => {
    files[`pictures/${hashes[i]}.png`] = [bytes, { level: 0 }];
  });
  return Buffer.from(zipSync(files));
}

async function guideCount(): Promise<number> {
  return page.evaluate(async () => {
    const database = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('digituki');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const count = await new Promise<number>((resolve) => {
      const request = database.transaction('guides').objectStore('guides').count();
      request.onsuccess = () => resolve(request.result);
    });
    database.close();
    return count;
  });
}

it.beforeAll(async ({ browser, app }) => {
  ({ context, page } = await newTablet(browser));
  // Every value the reading's progress bar shows, kept across the page's life.
  await page.addInitScript(() => {
    const seen: number[] = [];
    (window as unknown as { progressSeen: number[] }).progressSeen = seen;
    new MutationObserver(() => {
      const bar = document.querySelector<HTMLProgressElement>('.pack-reading progress');
      if (bar && seen[seen.length - 1] !== bar.value) seen.push(bar.value);
    }).observe(document, { subtree: true, childList: true, attributes: true });
  });
  await page.goto(app.url);
  await waitForServiceWorker(page);
  await setUpFirstAdmin(page, app.url, 'Anna', PIN);
  await page.goto(`${app.url}/instructor/guides`);
  await unlock(page, PIN);
  await heading(page, 'Ohjeet');
});
afterAll(async () => {
  await context?.close();
});

describe('importing a guide pack', () => {
  it('refuses a zip bomb in plain words, unpacked in the worker, with nothing changed', async () => {
    const before = await guideCount();
    const bomb = Buffer.from(zipOfOne('pack.json', bombStream(Math.ceil(2 ** 30 / 258)), 1_000));
    expect(bomb.byteLength).toBeLessThan(1.1 * 1024 * 1024);
    await page.getByLabel('Tuo ohjepaketti').setInputFiles({ name: 'ohjeet.digituki.zip', mimeType: 'application/zip', buffer: bomb });
    await page.getByText('Tätä ohjepakettia ei voi tuoda. Mitään ei muutettu.').waitFor();
    await page.getByText('Paketissa on tiedosto, joka on suurempi kuin paketti ilmoittaa.', { exact: false }).waitFor();
    expect(await axeViolations(page), 'bomb refused').toEqual([]);
    // The worker's own script was loaded: the unpacking ran off the main thread.
    expect(await page.evaluate(() => performance.getEntriesByType('resource').some((entry) => /unzip\.worker/.test(entry.name)))).toBe(true);
    expect(await guideCount()).toBe(before);
  });

  it('shows how far the reading is while a big pack is unpacked, then the preview', async () => {
    await page.getByLabel('Tuo ohjepaketti').setInputFiles({ name: 'iso.digituki.zip', mimeType: 'application/zip', buffer: bigPack(20) });
    await page.getByRole('heading', { name: 'Tarkista ohjepaketti' }).waitFor();
    await page.getByText('Ohjeita paketissa: 1. Kuvia: 20.').waitFor();
    const seen = await page.evaluate(() => (window as unknown as { progressSeen: number[] }).progressSeen);
    expect(seen.length, 'progress values shown').toBeGreaterThan(1);
    expect(Math.max(...seen)).toBeLessThanOrEqual(100);
    expect(seen.some((value) => value > 0)).toBe(true);
  });
});
