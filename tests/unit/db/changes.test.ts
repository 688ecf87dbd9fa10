import { IDBCursor, IDBFactory, IDBIndex, IDBKeyRange, IDBObjectStore } from 'fake-indexeddb';
import { describe, expect, vi } from 'vitest';
import { addFeedback, deleteRecord, isPending, saveRecord, setPlace } from '../../../src/db/changes';
import { db, DigitukiDB, replaceDatabase } from '../../../src/db/db';
import { it } from '../support/database';
import { nextBatch, settlePush, waitingChanges } from '../../../src/db/sync';
import type { LogFields } from '../../../src/sessions/session-log';
import { finaliseLog, saveLogFields } from '../../../src/sessions/log-edits';
import { holdDataKey, newDataKey } from '../../../src/lock/data-key';
import { saveOrgNoteKey } from '../../../src/db/org-note-key';
import { generateNoteKeyPair } from '../../../src/protocol';

describe('saving a synced record', () => {
  it('writes the record and its outbox row together, with a clock per field', async () => {
    await setPlace('org-1', 'site-1');
    const first = await saveRecord('sessions', 's1', { status: 'draft', format: 'walk-in', topics: ['security'] }, 1_000);
    const second = await saveRecord('sessions', 's1', { format: 'group' }, 2_000);
    const row = await db().sessions.get('s1');
    expect(row).toMatchObject({
      id: 's1',
      org: 'org-1',
      site: 'site-1',
      status: 'draft',
      format: 'group',
      topics: ['security'],
      deleted: 0,
      hlc: second.hlc,
      updatedAt: 2_000,
    });
    expect(row!.fieldClocks).toMatchObject({ status: first.hlc, topics: first.hlc, format: second.hlc });
    expect(second.hlc > first.hlc).toBe(true);
    // The two saves wait as one row (issue 16): each field with the clock it was written at.
    const outbox = await db().outbox.orderBy('seq').toArray();
    expect(outbox).toEqual([
      expect.objectContaining({
        table: 'sessions',
        recordId: 's1',
        hlc: second.hlc,
        fields: { status: 'draft', format: 'group', topics: ['security'], updatedAt: 2_000 },
        fieldClocks: { status: first.hlc, topics: first.hlc },
        org: 'org-1',
        site: 'site-1',
      }),
    ]);
    expect(await db().outbox.count()).toBe(1);
    expect(await isPending('sessions', 's1')).toBe(true);
  });

  it('keeps a typical log, edited field by field as the log screen does, in at most two outbox rows', async () => {
    await setPlace('org-1', 'site-1');
    // Unlocked and enrolled: the note is kept under the data key and queued sealed to the organisation's key.
    holdDataKey(await newDataKey());
    await db().syncState.put({ key: 'enrolment', value: { orgId: 'org-1', siteId: 'site-1' } });
    await saveOrgNoteKey(db(), 'org-1', (await generateNoteKeyPair()).publicKey);
    const edits: Partial<LogFields>[] = [
      { status: 'draft', startedAt: 1_767_000_000_000, format: 'walk-in', topics: [], participants: { member: { new: 0, returning: 0 } } },
      { participants: { member: { new: 1, returning: 0 } } },
      { topics: ['security'] },
      { topics: ['security', 'email'] },
      { durationBand: '30-60' },
      { outcome: 'with-support' },
      { note: 'Harjoiteltiin tunnistautumista.' },
    ];
    for (const [index, fields] of edits.entries()) await saveLogFields('log1', fields, 1_767_000_000_000 + index);
    expect(await db().outbox.count()).toBe(1);
    // A push is under way (the row is numbered): the next edits wait in a second row, never more.
    await nextBatch(db(), 10, { org: 'org-1', site: 'site-1' });
    await saveLogFields('log1', { participants: { member: { new: 2, returning: 0 } } }, 1_767_000_000_100);
    await finaliseLog('log1', 1_767_000_000_101);
    const rows = await db().outbox.orderBy('seq').toArray();
    expect(rows.length).toBeLessThanOrEqual(2);
    expect(rows[1]!.fields).toMatchObject({ participants: { member: { new: 2, returning: 0 } }, status: 'final' });
  });

  it('keeps clocks increasing even when the tablet clock goes backwards', async () => {
    const a = await saveRecord('sessions', 's1', { format: 'group' }, 5_000);
    const b = await saveRecord('sessions', 's1', { format: 'pop-up' }, 1_000);
    expect(b.hlc > a.hlc).toBe(true);
    expect((await db().sessions.get('s1'))!.format).toBe('pop-up');
  });

  it('goes on after a restart from the newest waiting clock, found without reading every waiting change', async () => {
    const indexedDB = new IDBFactory();
    const before = new DigitukiDB('digituki-restart', { indexedDB, IDBKeyRange });
    replaceDatabase(before);
    for (let n = 0; n < 40; n += 1) await saveRecord('sessions', `s${n}`, { format: 'walk-in' }, 10_000 + n);
    // An edit of the first log: its waiting row, the oldest, now holds the newest clock.
    const newest = await saveRecord('sessions', 's0', { format: 'group' }, 20_000);
    before.close();
    const after = new DigitukiDB('digituki-restart', { indexedDB, IDBKeyRange });
    replaceDatabase(after);
    await after.open();
    const steps = vi.spyOn(IDBCursor.prototype, 'continue');
    const wholeStore = vi.spyOn(IDBObjectStore.prototype, 'getAll');
    const wholeIndex = vi.spyOn(IDBIndex.prototype, 'getAll');
    try {
      // The tablet's date went back: the save still comes after everything this tablet wrote.
      const next = await saveRecord('sessions', 's40', { format: 'group' }, 1_000);
      expect(next.hlc > newest.hlc).toBe(true);
      // No cursor walks the waiting rows and no getAll reads more than one of them.
      expect(steps.mock.calls.length).toBeLessThan(3);
      const counts = [...wholeStore.mock.calls, ...wholeIndex.mock.calls].map(([query, count]) =>
        query && typeof query === 'object' && 'count' in query ? query.count : count,
      );
      for (const count of counts) expect(count).toBe(1);
    } finally {
      vi.restoreAllMocks();
      after.close();
    }
  });

  it('never lets a caller overwrite the bookkeeping fields', async () => {
    await saveRecord('sessions', 's1', { id: 'other', hlc: 'x', fieldClocks: {}, org: 'evil', format: 'group' });
    const row = await db().sessions.get('s1');
    expect(row!.id).toBe('s1');
    expect(row!.org).toBe('');
    expect(await db().sessions.get('other')).toBeUndefined();
  });

  it('deletes with a tombstone that is itself a queued change', async () => {
    await saveRecord('sessions', 's1', { format: 'group' });
    await deleteRecord('sessions', 's1');
    expect((await db().sessions.get('s1'))!.deleted).toBe(1);
    expect((await db().outbox.orderBy('seq').last())!.fields).toMatchObject({ deleted: 1 });
  });
});

describe('feedback', () => {
  it('is stored once and queued whole; a second save of the same answer changes nothing', async () => {
    await addFeedback('f1', { createdAt: 10, lang: 'fi', answers: { mood: 4 } });
    await expect(addFeedback('f1', { createdAt: 11, lang: 'fi', answers: { mood: 1 } })).rejects.toThrow();
    expect((await db().feedback.get('f1'))!.answers).toEqual({ mood: 4 });
    expect(await db().outbox.count()).toBe(1);
  });
});

describe('numbering the next push', () => {
  it('takes the oldest changes of this place, past any number held back for another place, and numbers only those', async () => {
    await setPlace('org-1', 'site-before');
    for (let n = 0; n < 7; n += 1) await saveRecord('sessions', `before-${n}`, { format: 'walk-in' }, 1_000 + n);
    await setPlace('org-1', 'site-1');
    for (let n = 0; n < 5; n += 1) await saveRecord('sessions', `here-${n}`, { format: 'group' }, 2_000 + n);
    const place = { org: 'org-1', site: 'site-1' };
    const rowsBefore = await db().outbox.toArray();
    const first = await nextBatch(db(), 3, place);
    expect(first.map((entry) => [entry.recordId, entry.mutationId])).toEqual([
      ['here-0', 1],
      ['here-1', 2],
      ['here-2', 3],
    ]);
    const rest = await nextBatch(db(), 3, place, { fieldClocks: true }, first.at(-1)!.seq);
    expect(rest.map((entry) => [entry.recordId, entry.mutationId])).toEqual([
      ['here-3', 4],
      ['here-4', 5],
    ]);
    // The changes held back keep waiting, never numbered.
    const held = (await waitingChanges(db())).filter((entry) => entry.site === 'site-before');
    expect(held.map((entry) => [entry.recordId, entry.mutationId])).toEqual(Array.from({ length: 7 }, (_, n) => [`before-${n}`, undefined]));
    // Numbering rewrote no row (issue 16): the ids are one value beside them, [seq, mutationId] in outbox order.
    expect(await db().outbox.toArray()).toEqual(rowsBefore);
    expect((await db().syncState.get('numbered'))?.value).toEqual([...first, ...rest].map((entry) => [entry.seq, entry.mutationId]));
  });

  it('drops exactly the acknowledged rows, and keeps a change held back for another place between them', async () => {
    const place = { org: 'org-1', site: 'site-1' };
    await setPlace('org-1', 'site-1');
    await saveRecord('sessions', 'here-0', { format: 'group' }, 1_000);
    await setPlace('org-1', 'site-before');
    await saveRecord('sessions', 'before-0', { format: 'walk-in' }, 1_001);
    await setPlace('org-1', 'site-1');
    await saveRecord('sessions', 'here-1', { format: 'group' }, 1_002);
    await saveRecord('sessions', 'here-2', { format: 'group' }, 1_003);
    const sent = await nextBatch(db(), 500, place);
    expect(sent.map((entry) => [entry.recordId, entry.mutationId])).toEqual([
      ['here-0', 1],
      ['here-1', 2],
      ['here-2', 3],
    ]);
    expect(await settlePush(db(), sent, { lastMutationId: 2 }, 2_000)).toEqual({ removed: 2, rewroteWaiting: false });
    expect((await waitingChanges(db())).map((entry) => [entry.recordId, entry.mutationId])).toEqual([
      ['before-0', undefined],
      ['here-2', 3],
    ]);
    expect((await db().syncState.get('numbered'))?.value).toEqual([[sent[2]!.seq, 3]]);
  });
  it('gives a change the server kept at earlier clocks again those clocks, field by field, as the answer names them', async () => {
    const place = { org: 'org-1', site: 'site-1' };
    await setPlace('org-1', 'site-1');
    const first = await saveRecord('sessions', 's1', { status: 'draft', format: 'walk-in' }, 1_000);
    const second = await saveRecord('sessions', 's1', { status: 'final' }, 2_000);
    const [sent] = await nextBatch(db(), 500, place);
    expect(sent!.fieldClocks).toEqual({ format: first.hlc }); // one waiting row: status at its clock, format at its own
    // The server had kept format (sent again from a restored backup) at an earlier clock; status stays as sent.
    const keptFormat = '000000000000500-0000-other';
    const answer = { lastMutationId: 1, clamped: [{ mutationId: 1, hlc: second.hlc, fieldClocks: { format: keptFormat } }] };
    await settlePush(db(), [sent!], answer, 3_000);
    expect((await db().sessions.get('s1'))!.fieldClocks).toMatchObject({ status: second.hlc, format: keptFormat });
  });
});
