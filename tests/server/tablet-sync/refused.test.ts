// A tablet's changes that the server must refuse (issue 12), sent as an older or tampered app would: the server
// quarantines them, the tablet drops them from its outbox, learns why, and its built-in guides stay as shipped.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { replaceBuiltinGuides } from '../../../src/db/guides';
import { imageUrl } from '../../support/builtin-pictures';
import { toRecords } from '../../../src/guides/builtin-records';
import { builtinGuides, CONTENT_VERSION } from '../../../src/guides/content';
import { serializeHlc } from '../../../src/protocol';
import { makeWorld, type World } from './support';

let world: World;
beforeEach(async () => {
  world = await makeWorld();
});
afterEach(async () => {
  await world.close();
});

const hlc = (n: number) => serializeHlc({ wallMs: 1_767_000_000_000 + n, counter: 0, node: 'old-app' });
const shipped = toRecords(builtinGuides, CONTENT_VERSION, imageUrl, 0);

describe('changes the server refuses', () => {
  it('leave the outbox, reach no other tablet, and the instructor is told why', async () => {
    const a = await world.tablet('A');
    const b = await world.tablet('B');
    await b.use(() => replaceBuiltinGuides(shipped.guides, shipped.steps, 'v1'));
    const kelaStep = shipped.steps.find((s) => s.guideId === 'b-kela-liite-fi')!;
    // What an older (or tampered) app could have put in its outbox (for this place, as the version 2 upgrade stamps it).
    const here = { org: world.orgId, site: world.siteId };
    await a.database.outbox.bulkAdd([
      {
        table: 'sessions',
        recordId: 'log1',
        hlc: hlc(1),
        fields: { status: 'final', startedAt: 1_767_000_000_000, format: 'walk-in', topics: [], note: '010190-123A, 040 123 4567, matti@example.fi' },
        ...here,
      },
      { table: 'guideSteps', recordId: kelaStep.id, hlc: hlc(2), fields: { text: 'Soita heti 0700 123 456.' }, ...here },
      { table: 'feedback', recordId: 'fb1', hlc: hlc(3), fields: { createdAt: 1_767_000_000_000, lang: 'fi', answers: { mood: 5, constructor: 1 } }, ...here },
      {
        table: 'sessions',
        recordId: 'log2',
        hlc: hlc(4),
        fields: { status: 'final', startedAt: 1_767_000_000_000, format: 'group', topics: [], note: 'Kela-asia hoitui' },
        ...here,
      },
    ]);
    const result = await a.sync();
    expect(result).toMatchObject({
      pushed: 1,
      quarantined: 3,
      refusedBecause: ['personal_data_in_note', 'builtin_guide_is_read_only', 'unknown_feedback_question'],
    });
    expect(await a.database.outbox.count()).toBe(0);
    expect((await world.store.recordsOfOrganisation(world.orgId)).map((r) => r.id)).toEqual(['log2']);

    await b.sync();
    expect((await b.database.guideSteps.get(kelaStep.id))!.text).toBe(kelaStep.text);
    expect((await b.database.sessions.toArray()).map((s) => s.id)).toEqual(['log2']);
  });
});
