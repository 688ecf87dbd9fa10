// A full room for pictures on the server stops only the pictures: the logs still sync, the instructor is told in plain
// words (SyncProblem "quota-exceeded"), and the picture waits on the tablet until there is room.
import { expect, it } from 'vitest';
import { saveRecord } from '../../../src/db/changes';
import { SyncError } from '../../../src/sync/engine';
import { png, sha256 } from '../support/pictures';
import { eachTestInAWorld, type World } from './support';

let world: World;
eachTestInAWorld((made) => {
  world = made;
});

it('syncs the logs, names the full room for pictures, and keeps the picture waiting on the tablet', async () => {
  const a = await world.tablet('A');
  const bytes = png(640, 480);
  const hash = sha256(bytes);
  await a.database.blobs.put({ hash, type: 'image/png', bytes: new Blob([bytes], { type: 'image/png' }), size: bytes.length, uploaded: 0 });
  await a.use(async () => {
    await saveRecord('sessions', 'log1', {
      status: 'final',
      startedAt: 1_767_000_000_000,
      format: 'walk-in',
      topics: ['security'],
      participants: { member: { new: 1, returning: 0 } },
    });
    await saveRecord('guides', 'g1', { slug: 'tulostin', lang: 'fi', title: 'Tulostin', summary: '', category: 'device', tags: [], source: 'org', version: 1 });
    await saveRecord('guideSteps', 's1', { guideId: 'g1', orderKey: 'V', kind: 'step', text: 'Paina nappia.', alt: 'Tulostimen nappi', imageHash: hash });
  });
  expect(await world.store.setBlobQuota(world.orgId, bytes.length - 1)).toBe(true);

  const failure = await a.sync().catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(SyncError);
  expect((failure as SyncError).problem).toEqual({ code: 'quota-exceeded' });
  expect((await world.store.recordsOfOrganisation(world.orgId)).map((r) => r.id).sort()).toEqual(['g1', 'log1', 's1']);
  expect(await a.database.outbox.count()).toBe(0);
  expect((await a.database.blobs.get(hash))?.uploaded).toBe(0);
  expect(await world.store.hasBlob(world.orgId, hash)).toBeUndefined();
});
