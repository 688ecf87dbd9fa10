// Mutation numbering across enrolments, against the real server (in-process, real SQLite file): a new enrolment
// numbers the waiting changes again in the same transaction that saves it, and a tablet whose numbering went wrong
// anyway (ids out of order) is told where the server stands and recovers by itself.
import { describe, expect, it } from 'vitest';
import { saveRecord } from '../../../src/db/changes';
import { readEnrolment, saveEnrolment, waitingChanges, type Enrolment } from '../../../src/db/sync';
import type { EnrolResponse } from '../../../src/protocol';
import { SyncError } from '../../../src/sync/engine';
import { eachTestInAWorld, SERVER, sessionLog, type Tablet, type World } from './support';

let world: World;
eachTestInAWorld((made) => {
  world = made;
});

/** A second enrolment of the tablet, as the server answers it (the tablet has not stored it yet). */
async function newIdentity(tablet: Tablet): Promise<Enrolment> {
  const response = await tablet.network.fetch(`${SERVER}/v1/enrol`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Digituki-Protocol': '1' },
    body: JSON.stringify({ code: await world.code(), deviceName: tablet.name }),
  });
  const answer = (await response.json()) as EnrolResponse;
  return { ...answer, serverUrl: SERVER, deviceName: tablet.name, enrolledAt: Date.now() };
}

/** Three logs sent, then two more numbered 4 and 5 whose push never reached the server. */
async function tabletWithNumberedWaitingChanges(): Promise<Tablet> {
  const a = await world.tablet('A');
  await a.use(async () => {
    for (let i = 1; i <= 3; i += 1) await saveRecord('sessions', `sent${i}`, sessionLog('group'));
  });
  await a.sync();
  await a.use(async () => {
    await saveRecord('sessions', 'waiting1', sessionLog('walk-in'));
    await saveRecord('sessions', 'waiting2', sessionLog('pop-up'));
  });
  a.network.faults = ['lose-request'];
  await a.sync().catch((error: unknown) => expect(error).toBeInstanceOf(SyncError));
  expect((await waitingChanges(a.database)).map((entry) => entry.mutationId)).toEqual([4, 5]);
  return a;
}

async function serverLogIds(): Promise<string[]> {
  return (await world.store.recordsOfOrganisation(world.orgId, 'sessions')).map((record) => record.id).sort();
}

describe('numbering changes for a new enrolment', () => {
  it('numbers the waiting changes again in the same transaction that saves the enrolment: a failure keeps the old one', async () => {
    const a = await tabletWithNumberedWaitingChanges();
    const before = await readEnrolment(a.database);
    const next = await newIdentity(a);
    const fail = () => {
      throw new Error('the tab was closed');
    };
    // The step that forgets the old numbering fails (the ids live in syncState since version 5).
    a.database.syncState.hook('deleting', fail);
    await expect(saveEnrolment(a.database, next)).rejects.toThrow();
    a.database.syncState.hook('deleting').unsubscribe(fail);
    // Nothing of the new enrolment was kept without the numbering that belongs to it.
    expect((await readEnrolment(a.database))?.deviceId).toBe(before!.deviceId);
    expect((await a.database.syncState.get('nextMutationId'))?.value).toBe(6);
    expect((await waitingChanges(a.database)).map((entry) => entry.mutationId)).toEqual([4, 5]);

    await saveEnrolment(a.database, next);
    expect((await waitingChanges(a.database)).map((entry) => entry.mutationId)).toEqual([undefined, undefined]);
    await a.sync();
    expect(await serverLogIds()).toEqual(['sent1', 'sent2', 'sent3', 'waiting1', 'waiting2']);
  });

  it('recovers when old ids were left ahead of new ones (a tab closed between the two steps of an older app)', async () => {
    const a = await tabletWithNumberedWaitingChanges();
    const next = await newIdentity(a);
    // What the older app's first transaction did before the tab was closed: the outbox still carries ids 4 and 5.
    await a.database.syncState.bulkPut([
      { key: 'enrolment', value: next },
      { key: 'place', value: { org: next.orgId, site: next.siteId } },
      { key: 'nextMutationId', value: 1 },
    ]);
    await a.database.syncState.delete('pullCursor');
    await a.use(() => saveRecord('sessions', 'new1', sessionLog('group')));

    await a.sync(); // 4, 5, 1 is out of order: the server says it expects 1, the tablet numbers again and sends
    expect(await a.database.outbox.count()).toBe(0);
    expect(await serverLogIds()).toEqual(['new1', 'sent1', 'sent2', 'sent3', 'waiting1', 'waiting2']);
    expect((await world.store.findDevice(next.deviceId))?.lastMutationId).toBe(3);
    await a.use(() => saveRecord('sessions', 'new2', sessionLog('group')));
    await a.sync();
    expect((await world.store.findDevice(next.deviceId))?.lastMutationId).toBe(4);
  });
});
