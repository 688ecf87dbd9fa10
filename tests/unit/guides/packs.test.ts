// Guide packs: a round trip gives identical guides and picture bytes on an empty tablet; the preview tells new,
// same, newer, older and deleted guides apart; and every hostile pack is refused in plain words with NOTHING changed.
import { Blob as NodeBlob } from 'node:buffer';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { strToU8, zipSync, type Zippable } from 'fflate';
import { describe, expect } from 'vitest';
import { saveNewPicture } from '../../../src/db/blobs';
import { deleteRecord, saveRecord } from '../../../src/db/changes';
import { db } from '../../../src/db/db';
import { freshDatabase, it } from '../support/database';
import { stepsOfGuide } from '../../../src/db/guides';
import { packOf } from '../../../src/guides/packs/export';
import { PACK_LIMITS, PackError, packFileName, type PackErrorCode } from '../../../src/guides/packs/format';
import { looksLikeSvg, pictureType } from '../../../src/guides/packs/magic';
import { applyImport, planImport } from '../../../src/guides/packs/merge';
import { isUnsafeName, readPack } from '../../../src/guides/packs/pack-zip';

globalThis.Blob = NodeBlob as unknown as typeof Blob; // see pictures.test.ts: happy-dom's Blob loses its bytes in IndexedDB

// The pack errors' Finnish sentences, wherever the instructor strings live (they are moving to locales/instructor/).
const fiPacks = ['src/i18n/locales/instructor/fi.json', 'src/i18n/locales/fi.json']
  .filter((path) => existsSync(path))
  .map((path) => JSON.parse(readFileSync(path, 'utf8')) as { packs?: { errors: Record<string, string> } })
  .find((locale) => locale.packs)!.packs!;

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
// Real picture headers followed by some bytes: enough for magic-byte checks, which is all a pack reader looks at.
const png = (seed: number) => Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...Array.from({ length: 300 }, (_, i) => (i * seed) % 256)]);
const jpeg = (seed: number) => Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, ...Array.from({ length: 300 }, (_, i) => (i + seed) % 256)]);
const webp = (seed: number) => Uint8Array.from([...strToU8('RIFF'), 0, 0, 0, 0, ...strToU8('WEBP'), ...Array.from({ length: 100 }, () => seed)]);

/** Two own guides with three pictures (one shown by two steps) and a built-in guide that must never travel. */
async function makeGuides() {
  const printer = await saveNewPicture(jpeg(1), 'image/jpeg');
  const wifi = await saveNewPicture(webp(2), 'image/webp');
  const card = await saveNewPicture(png(3), 'image/png');
  await saveRecord(
    'guides',
    'g-printer',
    {
      slug: 'g-printer',
      lang: 'fi',
      title: 'Kirjaston tulostin',
      summary: 'Tulosta paperi',
      category: 'device',
      tags: ['tulostin', 'kirjasto'],
      source: 'org',
      version: 1,
    },
    1_000,
  );
  await saveRecord(
    'guideSteps',
    'p1',
    { guideId: 'g-printer', orderKey: 'V', kind: 'step', text: 'Kirjaudu koneelle', alt: 'Kirjautumisruutu', imageHash: printer },
    1_100,
  );
  await saveRecord(
    'guideSteps',
    'p2',
    { guideId: 'g-printer', orderKey: 'W', kind: 'warning', text: 'Älä jätä papereita', alt: 'Tulostin', imageHash: card },
    1_200,
  );
  await saveRecord('guideSteps', 'p3', { guideId: 'g-printer', orderKey: 'X', kind: 'tip', text: 'Kysy henkilökunnalta', alt: '', imageHash: null }, 1_300);
  await saveRecord(
    'guides',
    'g-wifi',
    {
      slug: 'g-wifi',
      lang: 'sv',
      title: 'Dagcentrets wifi',
      summary: 'Anslut',
      category: 'contact',
      tags: [],
      source: 'org',
      version: 1,
      originId: 'b-nettiyhteys-sv',
    },
    2_000,
  );
  await saveRecord(
    'guideSteps',
    'w1',
    { guideId: 'g-wifi', orderKey: 'V', kind: 'step', text: 'Öppna inställningar', alt: 'Inställningar', imageHash: wifi },
    2_100,
  );
  await saveRecord('guideSteps', 'w2', { guideId: 'g-wifi', orderKey: 'W', kind: 'step', text: 'Välj nätet', alt: 'Nät', imageHash: printer }, 2_200);
  await saveRecord('guideSteps', 'w3', { guideId: 'g-wifi', orderKey: 'U', kind: 'step', text: 'borttaget', alt: '' }, 2_300);
  await deleteRecord('guideSteps', 'w3', 2_400);
  return { printer, wifi, card };
}

const guideView = async (id: string) => {
  const guide = (await db().guides.get(id))!;
  const steps = await stepsOfGuide(id);
  return {
    guide: {
      id: guide.id,
      slug: guide.slug,
      lang: guide.lang,
      title: guide.title,
      summary: guide.summary,
      category: guide.category,
      tags: guide.tags,
      source: guide.source,
      version: guide.version,
      originId: guide.originId ?? null,
      deleted: guide.deleted,
    },
    steps: steps.map((s) => ({ id: s.id, orderKey: s.orderKey, kind: s.kind, text: s.text, alt: s.alt, imageHash: s.imageHash ?? null })),
  };
};
const pictureBytes = async () =>
  Object.fromEntries(await Promise.all((await db().blobs.toArray()).map(async (b) => [b.hash, new Uint8Array(await b.bytes.arrayBuffer())] as const)));

describe('a pack round trip', () => {
  it('export, then import into an EMPTY database, gives identical guides and identical picture bytes', async () => {
    const { printer, wifi, card } = await makeGuides();
    const before = { printer: await guideView('g-printer'), wifi: await guideView('g-wifi'), pictures: await pictureBytes() };
    const zip = await packOf([(await db().guides.get('g-printer'))!, (await db().guides.get('g-wifi'))!], new Date('2025-03-01T10:00:00Z'));

    freshDatabase('digituki-packs-empty');
    const pack = await readPack(zip);
    expect(pack.guides.map((g) => g.id)).toEqual(['g-printer', 'g-wifi']);
    expect(pack.steps.map((s) => s.id)).toEqual(['p1', 'p2', 'p3', 'w1', 'w2']); // deleted steps never travel
    expect([...pack.pictures.keys()].sort()).toEqual([printer, card, wifi].sort()); // each picture once
    const plan = await planImport(pack);
    expect(plan.guides.map((g) => [g.title, g.status, g.steps])).toEqual([
      ['Kirjaston tulostin', 'new', 3],
      ['Dagcentrets wifi', 'new', 2],
    ]);
    expect(plan.pictures).toEqual({ total: 3, alreadyHere: 0 });
    expect(await applyImport(pack, new Set())).toBe(2);

    expect(await guideView('g-printer')).toEqual(before.printer);
    expect(await guideView('g-wifi')).toEqual({ ...before.wifi, steps: before.wifi.steps });
    expect(await pictureBytes()).toEqual(before.pictures);
    expect((await db().blobs.toArray()).every((b) => b.uploaded === 0)).toBe(true); // sync uploads them later
    // Imported guides travel to the organisation's other tablets like any edit.
    expect(await db().outbox.where('[table+recordId]').equals(['guides', 'g-printer']).count()).toBe(1);
    expect(await db().outbox.where('table').equals('guideSteps').count()).toBe(5);
    // Importing the same pack again: everything is "the same" and nothing is written.
    const outbox = await db().outbox.count();
    expect((await planImport(pack)).guides.map((g) => g.status)).toEqual(['same', 'same']);
    expect(await applyImport(pack, new Set())).toBe(0);
    expect(await db().outbox.count()).toBe(outbox);
  });

  it('names pictures by hash inside the zip and the file by the guide', async () => {
    await makeGuides();
    const zip = await packOf([(await db().guides.get('g-printer'))!]);
    const names: string[] = [];
    const { unzipSync } = await import('fflate');
    unzipSync(zip, { filter: (f) => (names.push(f.name), false) });
    expect(names.sort()).toEqual(['pack.json', `pictures/${sha(jpeg(1))}.jpg`, `pictures/${sha(png(3))}.png`].sort());
    expect(packFileName('Kirjaston tulostin / 2.krs')).toBe('Kirjaston-tulostin-2-krs.digituki.zip');
    expect(packFileName('../../')).toBe('guides.digituki.zip');
  });
});

describe('merging into a tablet that has some of the guides', () => {
  async function packNow() {
    return readPack(await packOf([(await db().guides.get('g-printer'))!, (await db().guides.get('g-wifi'))!], new Date('2025-03-01T10:00:00Z')));
  }

  it('tells newer, older and deleted guides apart and overwrites only what the instructor chose', async () => {
    await makeGuides();
    const pack = await packNow();
    // After the export, on this tablet: the printer guide gets a newer title, the wifi guide is deleted.
    await saveRecord('guides', 'g-printer', { title: 'Tulostin (uusi)' }, 9_000);
    await deleteRecord('guides', 'g-wifi', 9_100);
    const plan = await planImport(pack);
    expect(plan.guides.map((g) => [g.id, g.status, g.replaceByDefault])).toEqual([
      ['g-printer', 'older', false],
      ['g-wifi', 'deletedHere', true],
    ]);
    expect(plan.pictures).toEqual({ total: 3, alreadyHere: 3 });
    expect(await applyImport(pack, new Set(['g-wifi']))).toBe(1);
    expect((await db().guides.get('g-printer'))!.title).toBe('Tulostin (uusi)'); // not overwritten without asking
    expect((await db().guides.get('g-wifi'))!.deleted).toBe(0);
  });

  it('offers a newer pack version, and replacing makes the guide exactly the pack’s (extra local steps deleted)', async () => {
    await makeGuides();
    const old = await packNow();
    await saveRecord('guideSteps', 'p4', { guideId: 'g-printer', orderKey: 'Y', kind: 'step', text: 'lisätty', alt: '' }, 3_000);
    await saveRecord('guides', 'g-printer', { title: 'Tulostin 2' }, 3_100);
    const newer = await packNow();
    const exported = await guideView('g-printer');

    // Another tablet got the old pack first; the newer pack is offered as newer and makes the guide the same.
    freshDatabase('digituki-packs-other-tablet');
    await applyImport(old, new Set());
    expect((await planImport(newer)).guides[0]).toMatchObject({ id: 'g-printer', status: 'newer', replaceByDefault: true });
    await applyImport(newer, new Set(['g-printer']));
    expect(await guideView('g-printer')).toEqual(exported);

    // The old pack is now older: kept unless chosen; chosen, the guide becomes the old one and p4 a tombstone.
    expect((await planImport(old)).guides[0]).toMatchObject({ status: 'older', replaceByDefault: false });
    await applyImport(old, new Set(['g-printer']));
    expect((await guideView('g-printer')).steps.map((s) => s.id)).toEqual(['p1', 'p2', 'p3']);
    expect((await guideView('g-printer')).guide.title).toBe('Kirjaston tulostin');
    expect((await db().guideSteps.get('p4'))!.deleted).toBe(1);
  });
});

// --- hostile packs -------------------------------------------------------------------------------------------------

const goodGuide = { id: 'g1', updatedAt: 1_000, slug: 'g1', lang: 'fi', title: 'Ohje', summary: '', category: 'device', tags: [], source: 'org', version: 1 };
const goodStep = { id: 's1', updatedAt: 1_000, guideId: 'g1', orderKey: 'V', kind: 'step', text: 'Tee näin', alt: '' };
function packJson(overrides: Record<string, unknown> = {}) {
  return strToU8(
    JSON.stringify({
      format: 'digituki-guide-pack',
      formatVersion: 1,
      exportedAt: '2025-01-01T00:00:00.000Z',
      guides: [goodGuide],
      steps: [goodStep],
      ...overrides,
    }),
  );
}
const zipOf = (files: Zippable) => zipSync(files);

/** Sets the "uncompressed size" of every central-directory entry, as a zip bomb's directory might claim. */
function claimSize(zip: Uint8Array, size: number): Uint8Array {
  const copy = zip.slice();
  const view = new DataView(copy.buffer);
  const end = copy.length - 22;
  let at = view.getUint32(end + 16, true);
  for (let i = 0; i < view.getUint16(end + 10, true); i += 1) {
    view.setUint32(at + 24, size, true);
    at += 46 + view.getUint16(at + 28, true) + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return copy;
}

async function tabletSnapshot() {
  return { guides: await db().guides.toArray(), steps: await db().guideSteps.toArray(), blobs: await db().blobs.count(), outbox: await db().outbox.toArray() };
}

/** The pack is refused with this plain-words error, and the tablet is exactly as before. */
async function refused(zip: Uint8Array, code: PackErrorCode) {
  await makeGuides();
  const before = await tabletSnapshot();
  let error: unknown;
  try {
    const pack = await readPack(zip);
    await planImport(pack);
    await applyImport(pack, new Set(pack.guides.map((g) => g.id)));
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(PackError);
  expect((error as PackError).code).toBe(code);
  expect(fiPacks.errors[code]).toMatch(/\S/); // a sentence a person can read, in every language (locales test)
  expect(await tabletSnapshot()).toEqual(before);
}

describe('hostile packs change nothing and get a clear error', () => {
  it('refuses what is not a zip', async () => {
    await refused(strToU8('<html>this is a web page, not a pack</html>'), 'notZip');
    await refused(new Uint8Array(0), 'notZip');
  });

  it('refuses a zip without pack.json, broken JSON, another format and an unknown format version', async () => {
    await refused(zipOf({ 'readme.txt': strToU8('hello') }), 'noPackJson');
    await refused(zipOf({ 'pack.json': strToU8('{"format": "digituki-guide-pack", ') }), 'notJson');
    await refused(zipOf({ 'pack.json': strToU8(JSON.stringify({ format: 'something-else', formatVersion: 1 })) }), 'notAPack');
    await refused(zipOf({ 'pack.json': packJson({ formatVersion: 2 }) }), 'unknownVersion');
    await refused(zipOf({ 'pack.json': packJson({ formatVersion: '1' }) }), 'unknownVersion');
  });

  it('refuses a zip bomb by the sizes in the zip directory, before inflating anything', async () => {
    // 60 MB claimed in a few kilobytes, split over many pictures so no single one is over its limit.
    const files: Zippable = { 'pack.json': packJson() };
    for (let i = 0; i < 30; i += 1) files[`pictures/${i.toString(16).padStart(64, '0')}.png`] = png(i);
    const bomb = claimSize(zipOf(files), PACK_LIMITS.pictureBytes);
    expect(bomb.byteLength).toBeLessThan(500_000);
    await refused(bomb, 'tooBig');
    // A directory that claims 3 GB for data that is not even valid deflate: refused by size, so never inflated.
    await refused(claimSize(zipOf({ 'pack.json': [packJson(), { level: 9 }] }), 3_000_000_000), 'tooBig');
    // A directory that claims less than the data holds: inflating stops at the claimed size, and the pack is refused.
    await refused(claimSize(zipOf({ 'pack.json': packJson() }), 10), 'sizeLie');
    await refused(claimSize(zipOf({ 'pack.json': [packJson(), { level: 0 }] }), 10), 'sizeLie');
  });

  it('refuses path-traversal, absolute and backslash names', async () => {
    for (const name of ['../evil.png', 'pictures/../../evil.png', '/etc/passwd', 'pictures\\evil.png', 'C:/Windows/evil.png', './pack.json']) {
      await refused(zipOf({ 'pack.json': packJson(), [name]: png(1) }), 'unsafeName');
    }
    expect(isUnsafeName('pictures/abc.png')).toBe(false);
  });

  it('refuses SVG pictures, also when named like a PNG, and anything that is not a picture', async () => {
    const svg = strToU8('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    await refused(zipOf({ 'pack.json': packJson(), [`pictures/${sha(svg)}.svg`]: svg }), 'svgPicture');
    await refused(zipOf({ 'pack.json': packJson(), [`pictures/${sha(svg)}.png`]: svg }), 'svgPicture');
    const xmlSvg = strToU8('<?xml version="1.0"?>\n<svg onload="alert(1)"/>');
    await refused(zipOf({ 'pack.json': packJson(), [`pictures/${sha(xmlSvg)}.png`]: xmlSvg }), 'svgPicture');
    const html = strToU8('<html><script>alert(1)</script></html>');
    await refused(zipOf({ 'pack.json': packJson(), [`pictures/${sha(html)}.jpg`]: html }), 'notAPicture');
    await refused(zipOf({ 'pack.json': packJson(), 'pictures/evil.exe': png(1) }), 'notAPicture');
  });

  it('refuses a picture over the 2 MB sync limit and a picture whose bytes do not match its name', async () => {
    const big = new Uint8Array(PACK_LIMITS.pictureBytes + 1);
    big.set(png(1).subarray(0, 8));
    await refused(zipOf({ 'pack.json': packJson(), [`pictures/${sha(big)}.png`]: big }), 'pictureTooBig');
    await refused(zipOf({ 'pack.json': packJson(), [`pictures/${sha(png(1))}.png`]: png(2) }), 'pictureHashMismatch');
  });

  it('refuses a step whose picture is neither in the pack nor on the tablet', async () => {
    await refused(zipOf({ 'pack.json': packJson({ steps: [{ ...goodStep, imageHash: sha(png(9)) }] }) }), 'missingPicture');
  });

  it('refuses 10,000 steps and too many guides', async () => {
    const steps = Array.from({ length: 10_000 }, (_, i) => ({ ...goodStep, id: `s${i}` }));
    await refused(zipOf({ 'pack.json': packJson({ steps }) }), 'tooManySteps');
    const guides = Array.from({ length: PACK_LIMITS.guides + 1 }, (_, i) => ({ ...goodGuide, id: `g${i}` }));
    await refused(zipOf({ 'pack.json': packJson({ guides, steps: [] }) }), 'tooManyGuides');
  });

  it('refuses guides and steps that fail the sync protocol’s schemas', async () => {
    const badGuides = [
      { ...goodGuide, id: '../g1' },
      { ...goodGuide, title: 'x'.repeat(201) },
      { ...goodGuide, category: 'evil' },
      { ...goodGuide, lang: 'de' },
      { ...goodGuide, tags: 'not a list' },
      { ...goodGuide, script: '<script>' },
      { ...goodGuide, updatedAt: -1 },
      { ...goodGuide, hlc: 'not a clock' },
      { id: 'g1' },
    ];
    for (const guide of badGuides) await refused(zipOf({ 'pack.json': packJson({ guides: [guide] }) }), 'badGuide');
    const badSteps = [
      { ...goodStep, kind: 'video' },
      { ...goodStep, text: 'x'.repeat(4001) },
      { ...goodStep, imageHash: 'ABC' },
      { ...goodStep, orderKey: '' },
      { ...goodStep, imageUrl: 'javascript:alert(1)' },
    ];
    for (const step of badSteps) await refused(zipOf({ 'pack.json': packJson({ steps: [step] }) }), 'badStep');
    await refused(zipOf({ 'pack.json': packJson({ steps: [{ ...goodStep, guideId: 'elsewhere' }] }) }), 'stepWithoutGuide');
    await refused(zipOf({ 'pack.json': packJson({ steps: [goodStep, goodStep] }) }), 'duplicateId');
  });

  it('refuses to touch built-in guides or move a step out of another guide on the tablet', async () => {
    await refused(zipOf({ 'pack.json': packJson({ guides: [{ ...goodGuide, source: 'builtin' }] }) }), 'builtinGuide');
    // A pack guide whose id is a built-in guide's on this tablet.
    await db().guides.put({
      id: 'b-wifi-fi',
      slug: 'wifi',
      lang: 'fi',
      title: 'Wifi',
      summary: '',
      category: 'device',
      tags: [],
      source: 'builtin',
      version: 1,
      org: '',
      site: '',
      updatedAt: 1,
      hlc: '',
      fieldClocks: {},
      deleted: 0,
    });
    await refused(zipOf({ 'pack.json': packJson({ guides: [{ ...goodGuide, id: 'b-wifi-fi' }], steps: [] }) }), 'builtinGuide');
    await refused(zipOf({ 'pack.json': packJson({ steps: [{ ...goodStep, id: 'p1' }] }) }), 'stepOfOtherGuide');
  });

  it('refuses built-in ids even when that guide is not on this tablet: sync would refuse them anyway (issue 12.1)', async () => {
    await refused(
      zipOf({ 'pack.json': packJson({ guides: [{ ...goodGuide, id: 'b-kela-liite-fi' }], steps: [{ ...goodStep, guideId: 'b-kela-liite-fi' }] }) }),
      'builtinGuide',
    );
    await refused(zipOf({ 'pack.json': packJson({ steps: [{ ...goodStep, id: 'b-kela-liite-fi-1' }] }) }), 'builtinGuide');
  });
});

describe('telling pictures by their bytes', () => {
  it('knows JPEG, PNG and WebP by magic bytes, and SVG to refuse it', () => {
    expect(pictureType(jpeg(1))).toBe('image/jpeg');
    expect(pictureType(png(1))).toBe('image/png');
    expect(pictureType(webp(1))).toBe('image/webp');
    expect(pictureType(strToU8('GIF89a......'))).toBeUndefined();
    expect(pictureType(strToU8('RIFF....WAVE'))).toBeUndefined();
    expect(looksLikeSvg(strToU8('\uFEFF  <svg></svg>'))).toBe(true);
    expect(looksLikeSvg(png(1))).toBe(false);
  });
});
