import { describe, expect } from 'vitest';
import { saveRecord } from '../../../src/db/changes';
import { db } from '../../../src/db/db';
import { it } from '../support/database';
import { guideBySlug, libraryGuides, stepsOfGuide } from '../../../src/db/guides';
import { imageUrl } from '../../support/builtin-pictures';
import { toRecords } from '../../../src/guides/builtin-records';
import { BUILD_CONTENT_VERSION, ensureBuiltinGuides } from '../../../src/guides/builtin-loader';
import { builtinGuides, CONTENT_VERSION } from '../../../src/guides/content';

// Unit tests have no server to fetch the content files from: hand the loader the same content directly.
const builtinRows = (now = 0) => toRecords(builtinGuides, CONTENT_VERSION, imageUrl, now);
const load = async () => builtinRows();

describe('the built-in guide loader', () => {
  it('loads every built-in guide in Finnish, Swedish and English on first start, with its steps in order', async () => {
    expect(await ensureBuiltinGuides(BUILD_CONTENT_VERSION, load)).toBe('loaded');
    const guides = await libraryGuides();
    expect(guides).toHaveLength(builtinGuides.length * 3);
    const celia = builtinGuides.find((g) => g.slug.startsWith('celia'))!;
    for (const lang of ['fi', 'sv', 'en'] as const) {
      const guide = await guideBySlug(celia.slug, lang);
      expect(guide).toMatchObject({ lang, title: celia.title[lang], source: 'builtin' });
      const steps = await stepsOfGuide(guide!.id);
      expect(steps.map((s) => s.text)).toEqual(celia.steps.map((s) => s.text[lang]));
      expect(steps.every((s) => typeof s.imageUrl === 'string' && s.imageUrl.length > 0)).toBe(true);
    }
  });

  it('does nothing on a later start with the same content', async () => {
    await ensureBuiltinGuides(BUILD_CONTENT_VERSION, load);
    expect(await ensureBuiltinGuides(BUILD_CONTENT_VERSION, load)).toBe('current');
  });

  it('on a content upgrade replaces built-in guides and leaves the instructors\u2019 own guides untouched', async () => {
    await ensureBuiltinGuides('old-content', load);
    // Content of the old build that the new one no longer has must go.
    await db().guides.put({ ...(await db().guides.toCollection().first())!, id: 'b-retired-fi', slug: 'retired' });
    await saveRecord('guides', 'own-guide', {
      slug: 'kirjaston-kone',
      lang: 'fi',
      title: 'Kirjaston tulostin',
      summary: 'Oma ohje',
      category: 'device',
      tags: [],
      source: 'org',
      version: 1,
    });
    await saveRecord('guideSteps', 'own-step', { guideId: 'own-guide', orderKey: 'V', kind: 'step', text: 'Paina vihreää nappia.', alt: 'Tulostin' });
    const ownBefore = await db().guides.get('own-guide');

    expect(await ensureBuiltinGuides(BUILD_CONTENT_VERSION, load)).toBe('loaded');
    expect(await db().guides.get('b-retired-fi')).toBeUndefined();
    expect(await db().guides.get('own-guide')).toEqual(ownBefore);
    expect((await stepsOfGuide('own-guide')).map((s) => s.text)).toEqual(['Paina vihreää nappia.']);
    expect(await db().guides.where('source').equals('builtin').count()).toBe(builtinGuides.length * 3);
    expect(await db().guideSteps.count()).toBe(builtinRows().steps.length + 1);
  });

  it('finds a picture file for every step of every built-in guide', () => {
    for (const guide of builtinGuides) for (const step of guide.steps) expect(imageUrl(step.image)).toMatch(/\.svg$/);
    expect(() => imageUrl('no-such-picture.svg')).toThrow(/missing/);
  });

  it('gives every built-in guide a stable id that the sync protocol accepts', () => {
    const { guides, steps } = builtinRows(0);
    for (const row of [...guides, ...steps]) expect(row.id).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    expect(new Set(guides.map((g) => g.id)).size).toBe(guides.length);
    expect(new Set(steps.map((s) => s.id)).size).toBe(steps.length);
  });
});
