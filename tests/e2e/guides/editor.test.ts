// An instructor in a day centre with no Wi-Fi photographs the library's printer screens and makes a guide on the
// tablet: two photos, a reload mid-edit, reordering, a preview as a participant, an export, a wiped tablet and an
// import that brings the guide and its pictures back. Everything after the first visit happens offline.
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { unzipSync, strFromU8 } from 'fflate';
import { afterAll, describe, expect } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { axeViolations } from '../support/axe';
import { newTablet, waitForServiceWorker } from '../support/harness';
import { it } from '../support/fixtures';
import { heading, setUpFirstAdmin, unlock } from '../lock/support';

const PIN = '482913';
const TITLE = 'Kirjaston tulostin';

let context: BrowserContext;
let page: Page;

/**
 * A camera photo as a phone makes it: a JPEG whose pixels are stored sideways (3000×2000) with an EXIF orientation
 * tag saying "turn 90° clockwise", and the place it was taken (GPS) in its metadata.
 */
function exifSegment(): Buffer {
  const tiff: number[] = [];
  const u16 = (v: number) => tiff.push((v >> 8) & 255, v & 255);
  const u32 = (v: number) => tiff.push((v >>> 24) & 255, (v >> 16) & 255, (v >> 8) & 255, v & 255);
  tiff.push(0x4d, 0x4d); // big-endian "MM"
  u16(42);
  u32(8); // IFD0 right after the header
  u16(2); // two entries: Orientation, GPS pointer
  u16(0x0112), u16(3), u32(1), u16(6), u16(0); // Orientation = 6 (rotate 90° clockwise)
  const gpsOffset = 8 + 2 + 2 * 12 + 4;
  u16(0x8825), u16(4), u32(1), u32(gpsOffset);
  u32(0); // no next IFD
  u16(2); // GPS IFD: latitude ref and latitude
  const latOffset = gpsOffset + 2 + 2 * 12 + 4;
  u16(0x0001), u16(2), u32(2), tiff.push(0x4e, 0, 0, 0); // 'N'
  u16(0x0002), u16(5), u32(3), u32(latOffset);
  u32(0);
  for (const [num, den] of [
    [60, 1],
    [10, 1],
    [1234, 100],
  ] as const)
    u32(num), u32(den); // 60° 10' 12.34"
  const body = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), Buffer.from(tiff)]);
  const header = Buffer.from([0xff, 0xe1, (body.length + 2) >> 8, (body.length + 2) & 255]);
  return Buffer.concat([header, body]);
}

/** Draws a picture in the page (left half dark, right half light) and returns its bytes. */
async function drawPicture(width: number, height: number, type: 'image/jpeg' | 'image/png', label: string): Promise<Buffer> {
  const base64 = await page.evaluate(
    async ({ width, height, type, label }) => {
      const canvas = document.createElement('canvas');
      canvas.width = width;
      canvas.height = height;
      const ctx = canvas.getContext('2d')!;
      ctx.fillStyle = '#202020';
      ctx.fillRect(0, 0, width / 2, height);
      ctx.fillStyle = '#f0c000';
      ctx.fillRect(width / 2, 0, width / 2, height);
      ctx.fillStyle = '#ffffff';
      ctx.font = `${Math.round(height / 6)}px sans-serif`;
      ctx.fillText(label, width / 10, height / 2);
      // Noise, so the photo is photo-sized and the encoder has to work for its 300 KB.
      const noise = ctx.getImageData(0, 0, width, Math.round(height / 3));
      for (let i = 0; i < noise.data.length; i += 4) noise.data[i] = (i * 7919) % 255;
      ctx.putImageData(noise, 0, 0);
      const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), type, 0.95));
      const bytes = new Uint8Array(await blob.arrayBuffer());
      let binary = '';
      for (const byte of bytes) binary += String.fromCharCode(byte);
      return btoa(binary);
    },
    { width, height, type, label },
  );
  return Buffer.from(base64, 'base64');
}

function phonePhoto(jpeg: Buffer): Buffer {
  // SOI, then the EXIF segment, then the rest of the JPEG as the encoder made it.
  return Buffer.concat([jpeg.subarray(0, 2), exifSegment(), jpeg.subarray(2)]);
}

/** The own guide's steps and pictures as stored in IndexedDB. */
function storedGuide(title: string) {
  return page.evaluate(async (title) => {
    const database = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('digituki');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const all = <T>(store: string) =>
      new Promise<T[]>((resolve, reject) => {
        const request = database.transaction(store).objectStore(store).getAll();
        request.onsuccess = () => resolve(request.result as T[]);
        request.onerror = () => reject(request.error);
      });
    const guide = (await all<{ id: string; title: string; deleted: number; source: string }>('guides')).find((g) => g.title === title && g.source === 'org');
    if (!guide) return undefined;
    const steps = (await all<{ guideId: string; orderKey: string; id: string; text: string; alt: string; imageHash?: string; deleted: number }>('guideSteps'))
      .filter((s) => s.guideId === guide.id && !s.deleted)
      .sort((a, b) => (a.orderKey < b.orderKey ? -1 : a.orderKey > b.orderKey ? 1 : a.id < b.id ? -1 : 1));
    const blobs = await all<{ hash: string; type: string; size: number; bytes: Blob }>('blobs');
    const pictures: Record<string, { type: string; size: number; width: number; height: number; sha256: string; hasExif: boolean; hasGps: boolean }> = {};
    for (const blob of blobs) {
      const bytes = new Uint8Array(await blob.bytes.arrayBuffer());
      const bitmap = await createImageBitmap(blob.bytes);
      const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
      const text = Array.from(bytes, (b) => String.fromCharCode(b)).join('');
      pictures[blob.hash] = {
        type: blob.type,
        size: bytes.byteLength,
        width: bitmap.width,
        height: bitmap.height,
        sha256: Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join(''),
        hasExif: /exif/i.test(text),
        hasGps: text.includes('N\0\0\0') && text.includes('\0\0\0\x3c\0\0\0\x01'),
      };
    }
    database.close();
    return { guide, steps: steps.map((s) => ({ text: s.text, alt: s.alt, imageHash: s.imageHash ?? null })), pictures };
  }, title);
}

const stepCard = (n: number) => page.locator('.editor-steps > li').nth(n - 1);

async function openEditorAfterReload(): Promise<void> {
  await unlock(page, PIN);
  await heading(page, 'Muokkaa ohjetta');
}

it.beforeAll(async ({ browser, app }) => {
  ({ context, page } = await newTablet(browser));
  await setUpFirstAdmin(page, app.url, 'Anna', PIN);
  await waitForServiceWorker(page);
  await context.setOffline(true);
});
afterAll(async () => {
  await context?.close();
});

describe('making an own guide on the tablet, offline', () => {
  let guideUrl = '';
  let exportedPack: Buffer;
  let picturesBefore: Record<string, { sha256: string }> = {};

  it('creates a guide with two photos: turned upright, at most 1600 px, metadata and location gone, stored once', async () => {
    await page.getByRole('link', { name: 'Ohjeet', exact: true }).first().click();
    await heading(page, 'Ohjeet');
    expect(await axeViolations(page), 'guide list').toEqual([]);
    await page.getByRole('link', { name: 'Uusi ohje' }).click();
    await heading(page, 'Uusi ohje');
    await page.getByLabel('Otsikko').fill(TITLE);
    await page.waitForURL(/\/instructor\/guides\/[0-9a-f]{32}$/);
    guideUrl = page.url();
    await page.getByLabel('Yhteenveto yhdellä lyhyellä lauseella').fill('Tulosta paperi kirjaston koneella');
    await page.getByLabel('Aihe', { exact: true }).selectOption('device');
    await page.getByLabel('Hakusanat').fill('tulostin, kirjasto, printteri');

    const photo = phonePhoto(await drawPicture(3000, 2000, 'image/jpeg', 'KIRJAUDU'));
    expect(photo.includes(Buffer.from('Exif'))).toBe(true);
    await page.getByRole('button', { name: 'Lisää vaihe' }).click();
    await stepCard(1).getByLabel('Mitä tehdään').fill('Kirjaudu koneelle kirjastokortilla.');
    await stepCard(1).getByLabel('Valitse kuva').setInputFiles({ name: 'IMG_2041.jpg', mimeType: 'image/jpeg', buffer: photo });
    await stepCard(1).locator('img.step-picture').waitFor();
    await stepCard(1).getByLabel('Mitä kuvassa näkyy').fill('Kirjautumisruutu, jossa kortin numero ja PIN');

    const screenshot = await drawPicture(900, 600, 'image/png', 'TULOSTA');
    await page.getByRole('button', { name: 'Lisää vaihe' }).click();
    await stepCard(2).getByLabel('Mitä tehdään').fill('Paina Tulosta.');
    await stepCard(2).getByLabel('Ota kuva').setInputFiles({ name: 'camera.png', mimeType: 'image/png', buffer: screenshot });
    await stepCard(2).locator('img.step-picture').waitFor();
    // The alt text is asked for, and the missing one is pointed out in words.
    await stepCard(2).getByText('Kuvaile kuva muutamalla sanalla.').waitFor();
    await stepCard(2).getByLabel('Mitä kuvassa näkyy').fill('Tulosta-painike');
    await stepCard(2).getByLabel('Tärkeää').check();
    // The same photo on a third step is stored once.
    await page.getByRole('button', { name: 'Lisää vaihe' }).click();
    await stepCard(3).getByLabel('Mitä tehdään').fill('Hae paperit tulostimesta.');
    await stepCard(3).getByLabel('Valitse kuva').setInputFiles({ name: 'IMG_2041.jpg', mimeType: 'image/jpeg', buffer: photo });
    await stepCard(3).locator('img.step-picture').waitFor();
    await stepCard(3).getByLabel('Mitä kuvassa näkyy').fill('Kirjautumisruutu');
    await page.getByText('Kaikki muutokset on tallennettu tähän tablettiin.').waitFor();
    expect(await axeViolations(page), 'guide editor').toEqual([]);

    const stored = (await storedGuide(TITLE))!;
    expect(stored.steps.map((s) => s.text)).toEqual(['Kirjaudu koneelle kirjastokortilla.', 'Paina Tulosta.', 'Hae paperit tulostimesta.']);
    expect(stored.steps[2]!.imageHash).toBe(stored.steps[0]!.imageHash);
    expect(Object.keys(stored.pictures)).toHaveLength(2);
    const photoStored = stored.pictures[stored.steps[0]!.imageHash!]!;
    expect(photoStored).toMatchObject({ type: 'image/webp', width: 1067, height: 1600, hasExif: false, hasGps: false }); // upright: portrait
    expect(photoStored.size).toBeLessThanOrEqual(300_000);
    expect(photoStored.sha256).toBe(stored.steps[0]!.imageHash);
    expect(stored.pictures[stored.steps[1]!.imageHash!]).toMatchObject({ type: 'image/webp', width: 900, height: 600, hasExif: false });
  });

  it('finds everything after a reload in the middle of typing', async () => {
    await stepCard(3).getByLabel('Mitä tehdään').fill('Hae paperit tulostimesta ja maksa kassalla.');
    await page.reload(); // inside the typing pause: the journal keeps it
    await openEditorAfterReload();
    expect(await page.getByLabel('Otsikko').inputValue()).toBe(TITLE);
    expect(await page.getByLabel('Hakusanat').inputValue()).toBe('tulostin, kirjasto, printteri');
    expect(await page.getByLabel('Aihe', { exact: true }).inputValue()).toBe('device');
    expect(await stepCard(3).getByLabel('Mitä tehdään').inputValue()).toBe('Hae paperit tulostimesta ja maksa kassalla.');
    expect(await stepCard(1).getByLabel('Mitä kuvassa näkyy').inputValue()).toBe('Kirjautumisruutu, jossa kortin numero ja PIN');
    expect(await stepCard(2).getByLabel('Tärkeää').isChecked()).toBe(true);
    for (const n of [1, 2, 3])
      expect(
        await stepCard(n)
          .locator('img.step-picture')
          .evaluate((img: HTMLImageElement) => img.decode().then(() => img.naturalWidth > 0)),
      ).toBe(true);
  });

  it('reorders by dragging and with the move buttons, and the order stays', async () => {
    const texts = async () => (await storedGuide(TITLE))!.steps.map((s) => s.text.split(' ')[0]);
    expect(await texts()).toEqual(['Kirjaudu', 'Paina', 'Hae']);
    // Drag step 3 by its handle above step 1: steps are taller than the screen, so hold it at the top edge to scroll
    // until step 1's top is on the screen (the guide's own fields above the steps may be taller than the screen too),
    // then let go above step 1's middle, clear of the edge that scrolls.
    await stepCard(3).locator('.drag-handle').scrollIntoViewIfNeeded();
    const handle = (await stepCard(3).locator('.drag-handle').boundingBox())!;
    const x = handle.x + handle.width / 2;
    await page.mouse.move(x, handle.y + handle.height / 2);
    await page.mouse.down();
    await page.mouse.move(x, 4, { steps: 12 });
    await page.waitForFunction(() => (document.querySelector('.editor-steps > li')?.getBoundingClientRect().top ?? -1) >= 100);
    await page.mouse.move(x, 120, { steps: 4 });
    await page.mouse.up();
    await expect.poll(texts).toEqual(['Hae', 'Kirjaudu', 'Paina']);
    await page.getByRole('button', { name: 'Siirrä vaihe 1 alas' }).click();
    await expect.poll(texts).toEqual(['Kirjaudu', 'Hae', 'Paina']);
    await page.getByRole('button', { name: 'Siirrä vaihe 3 ylös' }).click();
    await expect.poll(texts).toEqual(['Kirjaudu', 'Paina', 'Hae']);
    await page.reload();
    await openEditorAfterReload();
    expect(await stepCard(2).getByLabel('Mitä tehdään').inputValue()).toBe('Paina Tulosta.');
  });

  it('previews the guide exactly as a participant sees it, without leaving the instructor area', async () => {
    await page.getByRole('link', { name: 'Esikatsele osallistujana' }).click();
    await page.getByText('Vaihe 1 / 3', { exact: true }).waitFor();
    expect(await page.locator('.step-text').textContent()).toBe('Kirjaudu koneelle kirjastokortilla.');
    expect(await page.locator('img.step-picture').getAttribute('alt')).toBe('Kirjautumisruutu, jossa kortin numero ja PIN');
    expect(await axeViolations(page), 'preview').toEqual([]);
    await page.getByRole('button', { name: 'Seuraava' }).click();
    await page.getByText('Vaihe 2 / 3', { exact: true }).waitFor();
    expect(await page.locator('.step-kind').textContent()).toContain('Tärkeää');
    await page.keyboard.press('ArrowRight');
    await page.getByText('Vaihe 3 / 3', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Valmis' }).click();
    await heading(page, 'Muokkaa ohjetta');
    expect(page.url()).toBe(guideUrl);
  });

  it('exports the guide as a .digituki.zip with its pictures named by hash', async () => {
    const stored = (await storedGuide(TITLE))!;
    picturesBefore = stored.pictures;
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Vie tämä ohje' }).click()]);
    expect(download.suggestedFilename()).toBe('Kirjaston-tulostin.digituki.zip');
    exportedPack = readFileSync((await download.path())!);
    const files = unzipSync(new Uint8Array(exportedPack));
    const pack = JSON.parse(strFromU8(files['pack.json']!)) as { format: string; formatVersion: number; guides: { title: string }[]; steps: unknown[] };
    expect(pack).toMatchObject({ format: 'digituki-guide-pack', formatVersion: 1, guides: [{ title: TITLE }] });
    expect(pack.steps).toHaveLength(3);
    const pictures = Object.keys(files)
      .filter((name) => name.startsWith('pictures/'))
      .sort();
    expect(pictures).toEqual(
      Object.keys(stored.pictures)
        .map((hash) => `pictures/${hash}.webp`)
        .sort(),
    );
    for (const name of pictures) expect(createHash('sha256').update(files[name]!).digest('hex')).toBe(name.slice(9, 73));
  });

  it('deletes the guide with an Undo', async () => {
    await page.getByRole('button', { name: 'Poista ohje' }).click();
    await heading(page, 'Ohjeet');
    await page.getByText(`Ohje ”${TITLE}” poistettiin.`).waitFor();
    expect(await page.getByRole('link', { name: `Muokkaa: ${TITLE}` }).count()).toBe(0);
    await page.getByRole('button', { name: 'Peru', exact: true }).click();
    await page.getByRole('link', { name: `Muokkaa: ${TITLE}` }).waitFor();
  });

  it('after the tablet is wiped, importing the pack brings the guide back with identical pictures', async ({ app }) => {
    // Wipe the own guides and every picture straight from IndexedDB, as on a new tablet.
    await page.evaluate(async () => {
      const database = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open('digituki');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      const tx = database.transaction(['guides', 'guideSteps', 'blobs'], 'readwrite');
      tx.objectStore('guides').openCursor().onsuccess = function () {
        const cursor = this.result;
        if (!cursor) return;
        if ((cursor.value as { source: string }).source === 'org') cursor.delete();
        cursor.continue();
      };
      tx.objectStore('guideSteps').openCursor().onsuccess = function () {
        const cursor = this.result;
        if (!cursor) return;
        if (!(cursor.value as { imageUrl?: string }).imageUrl) cursor.delete();
        cursor.continue();
      };
      tx.objectStore('blobs').clear();
      await new Promise((resolve) => (tx.oncomplete = resolve));
      database.close();
    });
    await page.goto(`${app.url}/instructor/guides`);
    await unlock(page, PIN);
    await heading(page, 'Ohjeet');
    await page.getByText('Omia ohjeita ei vielä ole.').waitFor();
    expect(await storedGuide(TITLE)).toBeUndefined();

    await page.getByLabel('Tuo ohjepaketti').setInputFiles({ name: 'Kirjaston-tulostin.digituki.zip', mimeType: 'application/zip', buffer: exportedPack });
    await page.getByRole('heading', { name: 'Tarkista ohjepaketti' }).waitFor();
    await page.getByText('Ohjeita paketissa: 1. Kuvia: 2.').waitFor();
    await page.getByText('Uusi tässä tabletissa.').waitFor();
    expect(await axeViolations(page), 'import preview').toEqual([]);
    await page.getByRole('button', { name: 'Tuo', exact: true }).click();
    await page.getByText('Ohjeita tuotiin: 1.').waitFor();
    await page.getByRole('link', { name: `Muokkaa: ${TITLE}` }).click();
    await heading(page, 'Muokkaa ohjetta');
    for (const n of [1, 2, 3])
      expect(
        await stepCard(n)
          .locator('img.step-picture')
          .evaluate((img: HTMLImageElement) => img.decode().then(() => img.naturalWidth > 0)),
      ).toBe(true);
    const after = (await storedGuide(TITLE))!;
    expect(after.steps.map((s) => s.text)).toEqual(['Kirjaudu koneelle kirjastokortilla.', 'Paina Tulosta.', 'Hae paperit tulostimesta ja maksa kassalla.']);
    expect(Object.fromEntries(Object.entries(after.pictures).map(([h, p]) => [h, p.sha256]))).toEqual(
      Object.fromEntries(Object.entries(picturesBefore).map(([h, p]) => [h, p.sha256])),
    );

    // A file that is not a pack: a plain-words error, nothing changes.
    await page.getByRole('link', { name: 'Takaisin ohjeisiin' }).click();
    await heading(page, 'Ohjeet');
    await page.getByLabel('Tuo ohjepaketti').setInputFiles({ name: 'kuva.digituki.zip', mimeType: 'application/zip', buffer: Buffer.from('not a zip at all') });
    await page.getByText('Tätä ohjepakettia ei voi tuoda. Mitään ei muutettu.').waitFor();
    expect(await axeViolations(page), 'import error').toEqual([]);
  });

  it('copies a built-in guide into an own guide to edit', async () => {
    await page
      .getByRole('button', { name: /Tee muokattava kopio ohjeesta ”Nettiin Wi-Fillä/ })
      .first()
      .click();
    await heading(page, 'Muokkaa ohjetta');
    const title = await page.getByLabel('Otsikko').inputValue();
    expect(title).toMatch(/Wi-Fi/);
    await stepCard(1).locator('img.step-picture').waitFor();
    expect(
      await stepCard(1)
        .locator('img.step-picture')
        .evaluate((img: HTMLImageElement) => img.decode().then(() => img.naturalWidth > 0)),
    ).toBe(true);
  });
});
