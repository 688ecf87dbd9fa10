// A tablet never lets a pulled change touch a built-in guide (issue 12.1): whatever a server sends — a server from
// before the rule may hold such changes — the built-in guides stay exactly as shipped, and no picture address arrives.
import { beforeEach, describe, expect } from 'vitest';
import { db } from '../../../src/db/db';
import { it } from '../support/database';
import { guideBySlug, replaceBuiltinGuides, stepsOfGuide } from '../../../src/db/guides';
import { applyPulledPage, readCursor } from '../../../src/db/sync';
import { imageUrl } from '../../support/builtin-pictures';
import { toRecords } from '../../../src/guides/builtin-records';
import { builtinGuides, CONTENT_VERSION } from '../../../src/guides/content';
import { serializeHlc, type PulledRecord } from '../../../src/protocol';

const SCAM = 'Kela on muuttanut ohjetta: soita heti 0700 123 456.';
const DATA_SVG = 'data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=';
const hlc = serializeHlc({ wallMs: 1_767_000_000_000, counter: 0, node: 'attacker' });
const clocks = (fields: Record<string, unknown>) => Object.fromEntries(Object.keys(fields).map((name) => [name, hlc]));
const pulled = (table: PulledRecord['table'], id: string, fields: Record<string, unknown>): PulledRecord => ({
  table,
  id,
  fields,
  fieldClocks: clocks(fields),
  hlc,
});

const shipped = toRecords(builtinGuides, CONTENT_VERSION, imageUrl, 0);
const kela = shipped.guides.find((g) => g.id === 'b-kela-liite-fi')!;

beforeEach(async () => {
  await replaceBuiltinGuides(shipped.guides, shipped.steps, 'v1');
});

describe('pulling changes to built-in guides', () => {
  it('keeps every built-in guide and step as shipped, adds no step to one, and stores no picture address', async () => {
    const before = { guides: await db().guides.toArray(), steps: await db().guideSteps.toArray() };
    const attack = [
      ...shipped.steps.filter((s) => s.guideId === kela.id).map((s) => pulled('guideSteps', s.id, { text: SCAM, imageUrl: DATA_SVG, deleted: 0 })),
      pulled('guides', kela.id, { title: 'Kela: maksa käsittelymaksu', source: 'org', deleted: 0 }),
      pulled('guideSteps', 'f00d', { guideId: kela.id, orderKey: '0', kind: 'warning', text: SCAM, alt: '', deleted: 0 }),
      pulled('guides', 'fake-kela', {
        slug: kela.slug,
        lang: 'fi',
        title: kela.title,
        summary: '',
        category: 'authorities',
        tags: [],
        source: 'builtin',
        version: 1,
        deleted: 0,
      }),
    ];
    const own = [
      pulled('guides', 'g-own', { slug: 'g-own', lang: 'fi', title: 'Oma', summary: '', category: 'device', tags: [], source: 'org', version: 1, deleted: 0 }),
      pulled('guideSteps', 'own-1', { guideId: 'g-own', orderKey: 'V', kind: 'step', text: 'Avaa', alt: '', imageUrl: DATA_SVG, deleted: 0 }),
    ];
    expect(await applyPulledPage(db(), [...attack, ...own], 'cursor-1', { org: 'o', site: 's' })).toBe(own.length);

    expect(await db().guides.where('source').equals('builtin').toArray()).toEqual(before.guides);
    expect((await db().guideSteps.toArray()).filter((s) => s.id !== 'own-1')).toEqual(before.steps);
    expect(await db().guides.get('fake-kela')).toBeUndefined();
    expect((await stepsOfGuide(kela.id)).map((s) => s.text)).toEqual(shipped.steps.filter((s) => s.guideId === kela.id).map((s) => s.text));
    const ownStep = (await db().guideSteps.get('own-1'))!;
    expect(ownStep.text).toBe('Avaa');
    expect(ownStep).not.toHaveProperty('imageUrl');
    expect(Object.keys(ownStep.fieldClocks)).not.toContain('imageUrl');
    expect(await readCursor(db())).toBe('cursor-1'); // skipped changes still move the cursor on
  });

  it('opens the built-in guide for its address even when an own guide took the same slug', async () => {
    await applyPulledPage(
      db(),
      [
        pulled('guides', '0000-shadow', {
          slug: kela.slug,
          lang: 'fi',
          title: 'Kela (päivitetty)',
          summary: SCAM,
          category: 'authorities',
          tags: [],
          source: 'org',
          version: 1,
          deleted: 0,
        }),
      ],
      'c',
      { org: 'o', site: 's' },
    );
    expect((await guideBySlug(kela.slug, 'fi'))!.id).toBe(kela.id);
  });

  it('puts the shipped guides back whole on the next content load, also over rows changed before this rule', async () => {
    // What an earlier app let sync write: a built-in step rewritten, a step put into the guide, the guide made 'org'.
    await db().guideSteps.update(`${kela.id}-1`, { text: SCAM, imageUrl: DATA_SVG });
    await db().guideSteps.put({ ...shipped.steps[0]!, id: 'f00d', guideId: kela.id, orderKey: '0', text: SCAM });
    await db().guides.update(kela.id, { source: 'org', title: 'Kela: maksa' });
    await replaceBuiltinGuides(shipped.guides, shipped.steps, 'v2');
    expect(await db().guides.get(kela.id)).toEqual(kela);
    expect(await stepsOfGuide(kela.id)).toEqual(shipped.steps.filter((s) => s.guideId === kela.id));
  });
});

describe('the picture a step shows', () => {
  it('uses a picture address only for a built-in step, and only an address on this site', async () => {
    const { shippedPicture } = await import('../../../src/guides/StepPicture');
    const step = shipped.steps[0]!;
    expect(shippedPicture(step)).toBe(step.imageUrl);
    expect(shippedPicture({ id: step.id, imageUrl: DATA_SVG })).toBeUndefined();
    expect(shippedPicture({ id: step.id, imageUrl: '//evil.example/kela.svg' })).toBeUndefined();
    expect(shippedPicture({ id: 'own-1', imageUrl: step.imageUrl })).toBeUndefined();
  });
});
