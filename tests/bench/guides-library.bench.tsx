// How the library and search feel with 500 guides on the tablet (an organisation with many own guides).
// Prints timings; the naive baselines in the same run give the ratios.
import { render, waitFor } from '@testing-library/preact';
import { IDBFactory } from 'fake-indexeddb';
import { bench, describe } from 'vitest';
import { navigate } from '../../src/ui/router';
import { DigitukiDB, replaceDatabase } from '../../src/db/db';
import { libraryGuides } from '../../src/db/guides';
import type { GuideRecord } from '../../src/db/records';
import { imageUrl } from '../support/builtin-pictures';
import { toRecords } from '../../src/guides/builtin-records';
import { builtinGuides, CONTENT_VERSION } from '../../src/guides/content';
import { Library } from '../../src/guides/Library';
import { buildIndex, normalize, searchGuides, wordMatch, words } from '../../src/guides/search';
import { initI18n } from '../../src/i18n';

const GUIDES = 500;

async function seed(): Promise<GuideRecord[]> {
  const database = new DigitukiDB('bench-library', { indexedDB: new IDBFactory() });
  replaceDatabase(database);
  const base = toRecords(builtinGuides, CONTENT_VERSION, imageUrl, 0);
  const guides: GuideRecord[] = [];
  for (let i = 0; guides.length < GUIDES; i += 1) {
    const template = base.guides[i % base.guides.length]!;
    guides.push({ ...template, id: `g${i}`, slug: `${template.slug}-${i}`, title: `${template.title} ${i}`, source: 'org' });
  }
  await database.guides.bulkPut(guides);
  await initI18n('fi');
  return libraryGuides();
}

const guides = await seed();
const index = buildIndex(guides);
const queries = ['aanikirja', 'pankki tunnukset', 'whatsap', 'kela liite', 'huijaus'];

/** The obvious way: normalize every guide again and compare every word, per query. */
function naiveSearch(query: string) {
  const wanted = words(query);
  return guides
    .map((guide) => {
      const text = [guide.title, guide.summary, ...guide.tags].map(normalize).join(' ').split(' ');
      const score = wanted.reduce((sum, w) => sum + Math.max(0, ...text.map((t) => wordMatch(w, t))), 0);
      return { guide, score };
    })
    .filter((hit) => hit.score > 0)
    .sort((a, b) => b.score - a.score);
}

describe(`search over ${GUIDES} guides (one query)`, () => {
  bench('indexed search (the app)', () => {
    for (const query of queries) searchGuides(index, query, 'fi');
  });
  bench('naive full scan (baseline)', () => {
    for (const query of queries) naiveSearch(query);
  });
});

describe(`library with ${GUIDES} guides`, () => {
  bench('build the search index once per guide list', () => {
    buildIndex(guides);
  });
  bench('read every guide from IndexedDB (the I/O floor of a render)', async () => {
    await libraryGuides();
  });
  bench('render a topic list from IndexedDB until the cards show', async () => {
    navigate('/?category=authorities');
    const view = render(<Library />);
    await waitFor(() => {
      if (view.container.querySelectorAll('.guide-card').length === 0) throw new Error('not yet');
    });
    view.unmount();
  });
});
