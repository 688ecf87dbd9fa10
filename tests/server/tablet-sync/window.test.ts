// The pull window with the real engine: a tablet of the site is never sent a log older than the window, and the tablet
// that wrote it does not take it for lost in reconciliation (both digests leave it out), so nothing is sent twice.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { saveRecord } from '../../../src/db/changes';
import { readEnrolment } from '../../../src/db/sync';
import { requestReconcile } from '../../../src/db/reconcile';
import { monthsBefore } from '../../../src/protocol';
import { makeWorld, type World } from './support';

let world: World;

beforeEach(async () => {
  world = await makeWorld({ pullWindowMonths: 13 });
});
afterEach(async () => {
  await world.close();
});

const log = (startedAt: number) => ({
  status: 'final',
  startedAt,
  format: 'walk-in',
  topics: ['security'],
  participants: { member: { new: 1, returning: 0 } },
});

it('sends a new tablet the 12-month-old log, not the 14-month-old one, and the writer does not send the old one again', async () => {
  const a = await world.tablet('A');
  const now = Date.now();
  await a.use(async () => {
    await saveRecord('sessions', 'log-12', log(monthsBefore(now, 12)));
    await saveRecord('sessions', 'log-14', log(monthsBefore(now, 14)));
  });
  await a.sync();
  // The server keeps both (its retention is five years).
  expect((await world.store.recordsOfOrganisation(world.orgId, 'sessions')).map((r) => r.id).sort()).toEqual(['log-12', 'log-14']);

  const b = await world.tablet('B');
  await b.sync();
  expect((await b.database.sessions.toArray()).map((s) => s.id)).toEqual(['log-12']);

  // A full check on the writer: its old log is outside both digests, so nothing is queued or fetched.
  await requestReconcile(a.database, (await readEnrolment(a.database))!.deviceId);
  const checked = await a.sync();
  expect(checked.repaired ?? 0).toBe(0);
  expect(await a.database.outbox.count()).toBe(0);
  expect((await a.database.sessions.toArray()).map((s) => s.id).sort()).toEqual(['log-12', 'log-14']);
});
