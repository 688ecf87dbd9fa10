// Restoring a backup merges each record field by field with the one merge rule (src/protocol/merge.ts): a record
// is never replaced whole because its record clock is newer, so a field edited here later than the backup survives.
import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { db } from '../../../src/db/db';
import { it } from '../support/database';
import type { SessionLogRecord } from '../../../src/db/records';
import { writeBackup, type BackupContents } from '../../../src/lock/backup';
import { mergeRecords, recordHlc, serializeHlc, stateOfMutation, type RecordState } from '../../../src/protocol';

const at = (wallMs: number, node = 'tab1') => serializeHlc({ wallMs, counter: 0, node });

/** A stored session log whose clocked fields are exactly `state`. */
function logRow(id: string, state: RecordState): SessionLogRecord {
  return {
    id,
    org: 'org-1',
    site: 'site-1',
    updatedAt: 1,
    status: 'final',
    startedAt: 1_750_000_000_000,
    format: 'walk-in',
    topics: [],
    deleted: 0,
    ...state.fields,
    hlc: recordHlc(state),
    fieldClocks: { ...state.fieldClocks },
  } as SessionLogRecord;
}

function backupOf(sessions: SessionLogRecord[]): BackupContents {
  return { createdAt: 1, tables: { guides: [], guideSteps: [], sessions, feedback: [], blobs: [], outbox: [], profiles: [] } };
}

function stateOf(row: Record<string, unknown> & { fieldClocks: Record<string, string> }): RecordState {
  return { fields: Object.fromEntries(Object.keys(row.fieldClocks).map((name) => [name, row[name] ?? null])), fieldClocks: { ...row.fieldClocks } };
}

describe('restoring a backup merges field by field', () => {
  it("keeps a field edited here after the backup even when the backup's record clock is newer", async () => {
    // Here: the format was changed at 5. In the backup (another copy of the tablet): the outcome was changed at 6.
    const here = mergeRecords(stateOfMutation({ format: 'group', outcome: 'unfinished' }, at(1)), stateOfMutation({ format: 'one-to-one' }, at(5)));
    const backup = mergeRecords(
      stateOfMutation({ format: 'group', outcome: 'unfinished' }, at(1)),
      mergeRecords(stateOfMutation({ format: 'pop-up' }, at(3)), stateOfMutation({ outcome: 'with-support' }, at(6))),
    );
    await db().sessions.put(logRow('log-1', here));
    const written = await writeBackup(backupOf([logRow('log-1', backup)]));
    const restored = (await db().sessions.get('log-1'))!;
    expect(restored.format).toBe('one-to-one'); // the newer field here survives
    expect(restored.outcome).toBe('with-support'); // the newer field of the backup comes in
    expect(restored.fieldClocks).toEqual({ format: at(5), outcome: at(6) });
    expect(restored.hlc).toBe(at(6));
    expect(written.sessions).toBe(1);
  });

  const field = fc.constantFrom('format', 'outcome', 'durationBand', 'note');
  const value = fc.constantFrom('group', 'walk-in', 'unfinished', 'referred', '15-30', 'x');
  const clock = fc
    .record({ wallMs: fc.integer({ min: 1, max: 6 }), counter: fc.integer({ min: 0, max: 1 }), node: fc.constantFrom('tab1', 'tab2') })
    .map(serializeHlc);
  const state: fc.Arbitrary<RecordState> = fc
    .array(fc.record({ fields: fc.dictionary(field, value, { minKeys: 1, maxKeys: 3 }), hlc: clock }), { minLength: 1, maxLength: 4 })
    .map((edits) => edits.reduce<RecordState>((s, edit) => mergeRecords(s, stateOfMutation(edit.fields, edit.hlc)), { fields: {}, fieldClocks: {} }));
  const records = fc.dictionary(
    fc.constantFrom('log-1', 'log-2', 'log-3'),
    fc.record({ here: fc.option(state, { nil: undefined }), backup: fc.option(state, { nil: undefined }) }),
  );

  it('gives every record the merge of both copies; restoring again changes nothing; a newer field here always survives', async () => {
    await fc.assert(
      fc.asyncProperty(records, async (byId) => {
        await db().sessions.clear();
        const ids = Object.keys(byId);
        for (const id of ids) if (byId[id]!.here) await db().sessions.put(logRow(id, byId[id]!.here!));
        const backup = backupOf(ids.filter((id) => byId[id]!.backup).map((id) => logRow(id, byId[id]!.backup!)));
        await writeBackup(backup);
        for (const id of ids) {
          const { here, backup: there } = byId[id]!;
          if (!here && !there) continue;
          const row = (await db().sessions.get(id))!;
          const expected = here && there ? mergeRecords(here, there) : (here ?? there)!;
          expect(stateOf(row)).toEqual(expected);
          expect(row.hlc).toBe(recordHlc(expected));
          if (here && there) {
            for (const name of Object.keys(here.fieldClocks)) {
              if (!there.fieldClocks[name] || here.fieldClocks[name]! > there.fieldClocks[name]!) expect(row[name], name).toEqual(here.fields[name]);
            }
          }
        }
        const before = await db().sessions.toArray();
        const again = await writeBackup(backup);
        expect(again.sessions).toBe(0);
        expect(await db().sessions.toArray()).toEqual(before);
      }),
      { numRuns: 60 },
    );
  });

  it("two tablets that restore each other's backups end with the same records", async () => {
    await fc.assert(
      fc.asyncProperty(records, async (byId) => {
        const ids = Object.keys(byId);
        const tablet = async (side: 'here' | 'backup') => ids.filter((id) => byId[id]![side]).map((id) => logRow(id, byId[id]![side]!));
        const result: SessionLogRecord[][] = [];
        for (const [mine, theirs] of [
          ['here', 'backup'],
          ['backup', 'here'],
        ] as const) {
          await db().sessions.clear();
          await db().sessions.bulkPut(await tablet(mine));
          await writeBackup(backupOf(await tablet(theirs)));
          result.push((await db().sessions.orderBy('id').toArray()).map((row) => ({ ...row, updatedAt: 0 })));
        }
        expect(result[0]!.map(stateOf)).toEqual(result[1]!.map(stateOf));
      }),
      { numRuns: 40 },
    );
  });
});
