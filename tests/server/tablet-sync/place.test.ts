// The outbox tied to its place, against the real server (in-process, real SQLite file): a tablet that leaves its site
// and joins another organisation never sends the first site's logs there — nor does a restored backup — and the
// instructor can save those changes to a file or throw them away.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addFeedback, saveRecord } from '../../../src/db/changes';
import { discardHeldBack, forgetEnrolment, heldBackChanges, heldBackCount, pendingCount } from '../../../src/db/sync';
import { exportBackup, restoreBackup } from '../../../src/lock/backup';
import { createOrganisation, createSite } from '../../../src/server/admin';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { DigitukiDB, replaceDatabase } from '../../../src/db/db';
import { SyncError, enrol, syncOnce } from '../../../src/sync/engine';
import { makeWorld, networkTo, SERVER, sessionLog, type Tablet, type World } from './support';

let world: World;
let otherOrg: string;
let otherSite: string;

beforeEach(async () => {
  world = await makeWorld();
  otherOrg = (await createOrganisation(world.store, 'Toinen järjestö')).id;
  otherSite = (await createSite(world.store, otherOrg, 'Asukastalo')).id;
});
afterEach(async () => {
  await world.close();
});

async function idsOn(orgId: string, table = 'sessions'): Promise<string[]> {
  return (await world.store.recordsOfOrganisation(orgId, table)).map((record) => record.id).sort();
}

/** Leaves the site and joins the other organisation's site with a new code, as the sync screen does. */
async function joinOtherOrganisation(tablet: Tablet): Promise<void> {
  await forgetEnrolment(tablet.database);
  await enrol(tablet.database, { serverUrl: SERVER, code: await world.code(otherSite), deviceName: tablet.name }, tablet.network.fetch);
}

async function offline(tablet: Tablet): Promise<void> {
  tablet.network.faults = ['lose-request'];
  await tablet.sync().catch((error: unknown) => expect(error).toBeInstanceOf(SyncError));
  tablet.network.faults = [];
}

describe('changes written for one place', () => {
  it('are never sent to another organisation the tablet joins later; its new logs are', async () => {
    const a = await world.tablet('A');
    await a.use(async () => {
      await saveRecord('sessions', 'site1-log', sessionLog('walk-in'));
      await addFeedback('site1-feedback', { createdAt: 1_767_000_000_000, lang: 'fi', answers: { mood: 5 } });
    });
    await offline(a); // numbered for the first identity, never reached the server
    await joinOtherOrganisation(a);
    await a.use(() => saveRecord('sessions', 'site2-log', sessionLog('group')));
    await a.sync();

    expect(await idsOn(otherOrg)).toEqual(['site2-log']);
    expect(await idsOn(otherOrg, 'feedback')).toEqual([]);
    expect(await idsOn(world.orgId)).toEqual([]);
    expect(await heldBackCount(a.database)).toBe(2);
    expect(await pendingCount(a.database)).toBe(0); // nothing of this place waits
    // An edit of the first site's log made now is that site's change too.
    await a.use(() => saveRecord('sessions', 'site1-log', { format: 'group' }));
    await a.sync();
    expect(await idsOn(otherOrg)).toEqual(['site2-log']);
    expect(await heldBackCount(a.database)).toBe(2);
  });

  it('go when the tablet joins the same site again (a new code after it was removed)', async () => {
    const a = await world.tablet('A');
    await a.use(() => saveRecord('sessions', 'log1', sessionLog('walk-in')));
    await offline(a);
    await forgetEnrolment(a.database);
    await enrol(a.database, { serverUrl: SERVER, code: await world.code(), deviceName: 'A' }, a.network.fetch);
    await a.sync();
    expect(await idsOn(world.orgId)).toEqual(['log1']);
    expect(await heldBackCount(a.database)).toBe(0);
  });

  it('written before the tablet was ever enrolled are adopted by its first enrolment', async () => {
    const database = new DigitukiDB('tablet-new', { indexedDB: new IDBFactory(), IDBKeyRange });
    const network = networkTo(world.app);
    replaceDatabase(database);
    await saveRecord('sessions', 'before-enrolment', sessionLog('pop-up'));
    expect((await database.outbox.toArray()).map((row) => [row.org, row.site])).toEqual([['', '']]);
    const enrolment = await enrol(database, { serverUrl: SERVER, code: await world.code(), deviceName: 'N' }, network.fetch);
    expect((await database.outbox.toArray()).map((row) => [row.org, row.site])).toEqual([[enrolment.orgId, enrolment.siteId]]);
    expect((await database.sessions.get('before-enrolment'))?.site).toBe(enrolment.siteId);
    await syncOnce({ database, fetch: network.fetch });
    expect(await idsOn(world.orgId)).toEqual(['before-enrolment']);
  });

  it('that come in through a backup restore are held back in another organisation too', async () => {
    const a = await world.tablet('A');
    await a.use(() => saveRecord('sessions', 'site1-log', sessionLog('walk-in')));
    const { text } = await a.asAdmin(() => exportBackup('pitkä salasana 1', 'pitkä salasana 1', 1_000));
    const b = await world.tablet('B');
    await joinOtherOrganisation(b);
    await b.asAdmin(() => restoreBackup(text, 'pitkä salasana 1'));
    await b.sync();
    expect(await idsOn(otherOrg)).toEqual([]);
    expect(await heldBackCount(b.database)).toBe(1);
    // The tablet the backup came from still sends it to its own site.
    await a.sync();
    expect(await idsOn(world.orgId)).toEqual(['site1-log']);
  });

  it('can be saved to a file and then thrown away; the records stay on the tablet', async () => {
    const a = await world.tablet('A');
    await a.use(async () => {
      await saveRecord('sessions', 'site1-log', sessionLog('walk-in'));
      await saveRecord('sessions', 'site1-log', { format: 'group' });
    });
    await offline(a);
    await joinOtherOrganisation(a);
    const file = await heldBackChanges(a.database, 1_767_000_000_000);
    expect(file).toMatchObject({ format: 'digituki-held-back-changes', version: 1, places: [{ org: world.orgId, site: world.siteId }] });
    // The two saves wait as one change: the later value, its fields' clocks with it (issue 16).
    expect(file.changes.map((change) => change.fields.format)).toEqual(['group']);
    expect(file.changes[0]!.fieldClocks).toEqual({
      status: expect.any(String),
      startedAt: expect.any(String),
      topics: expect.any(String),
      participants: expect.any(String),
    });
    expect(file.records.sessions.map((row) => [row.id, row.format])).toEqual([['site1-log', 'group']]);
    expect(JSON.parse(JSON.stringify(file))).toEqual(file); // plain JSON, as the download writes it

    expect(await discardHeldBack(a.database)).toBe(1);
    expect(await heldBackCount(a.database)).toBe(0);
    expect(await a.database.outbox.count()).toBe(0);
    expect(await a.database.sessions.get('site1-log')).toBeDefined();
    await a.sync();
    expect(await idsOn(otherOrg)).toEqual([]);
  });
});
