// Owns the tablet's side of reconciliation in IndexedDB (README: "Reconciliation"): the records it holds in its place
// as digest entries, queuing records the server lacks as outbox entries again (one per field clock, so every field
// keeps its own clock), and when the next check is due. The comparison itself is src/protocol/digest.ts.
import { datedBefore, parseHlc, serializeHlc, TABLE_SCOPE, touchesBuiltinGuide, WRITE_ONLY_FIELDS, type DigestEntry, type SyncedTable } from '../protocol';
import type { DigitukiDB } from './db';
import { readLocal, writeLocal } from './device-local';
import type { OutboxEntry } from './records';

/** Enough for any real tablet; the oldest are forgotten first. */
const REFUSED_KEPT = 2000;
const CLOCKED_TABLES = ['guides', 'guideSteps', 'sessions'] as const;
const TABLES = [...CLOCKED_TABLES, 'feedback'] as const;

/** A full check at most this often when nothing went wrong. */
export const RECONCILE_EVERY_MS = 24 * 60 * 60_000;

type Place = { org: string; site: string };
type Row = Record<string, unknown> & { id: string; org?: string; site?: string; hlc?: string; fieldClocks?: Record<string, string> };

interface ReconcileState {
  deviceId: string;
  lastAt?: number;
  /** Something reset or renumbered since: check at the end of the next round whatever the time. */
  due?: boolean;
}

async function readState(database: DigitukiDB): Promise<ReconcileState | undefined> {
  return readLocal(database, 'reconcile');
}

/** Due when never done for this device identity, asked for, or a day old (or the tablet's date went back). */
export async function reconcileDue(database: DigitukiDB, deviceId: string, now: number): Promise<boolean> {
  const state = await readState(database);
  if (!state || state.deviceId !== deviceId || state.due || state.lastAt === undefined) return true;
  return now - state.lastAt >= RECONCILE_EVERY_MS || now < state.lastAt;
}

/** After a reset, a renumbering or a server found behind: check at once. */
export async function requestReconcile(database: DigitukiDB, deviceId: string): Promise<void> {
  const state = await readState(database);
  await writeLocal(database, 'reconcile', { deviceId, lastAt: state?.deviceId === deviceId ? state.lastAt : undefined, due: true } satisfies ReconcileState);
}

export async function markReconciled(database: DigitukiDB, deviceId: string, now: number): Promise<void> {
  await writeLocal(database, 'reconcile', { deviceId, lastAt: now, due: false } satisfies ReconcileState);
}

/**
 * Remembers changes the server refused (quarantined): a record whose latest clock is a refused change is not sent
 * again by reconciliation, which would only be refused again every day.
 */
export async function rememberRefused(database: DigitukiDB, entries: readonly { table: string; recordId: string; hlc: string }[]): Promise<void> {
  if (!entries.length) return;
  await database.transaction('rw', database.syncState, async () => {
    const kept = (await readLocal(database, 'refusedClocks')) ?? [];
    const next = [...kept, ...entries.map((entry) => refusedKey(entry.table, entry.recordId, entry.hlc))].slice(-REFUSED_KEPT);
    await writeLocal(database, 'refusedClocks', next);
  });
}

/** A record of this place: the tablet's organisation (and site, for site tables), or not yet placed (written before enrolling). */
function inPlace(table: SyncedTable, row: Row, place: Place): boolean {
  const org = row.org ?? '';
  const site = row.site ?? '';
  if (org === '') return TABLE_SCOPE[table] === 'organisation' || site === '';
  return org === place.org && (TABLE_SCOPE[table] === 'organisation' || site === place.site);
}

/** Synced records only: built-in guide content ships with the app and never has a clock or travels. */
function synced(table: SyncedTable, row: Row): boolean {
  if (touchesBuiltinGuide(table, row.id, row)) return false;
  return table === 'feedback' || (typeof row.hlc === 'string' && row.hlc !== '');
}

/** The rows the digest compares: each synced table's records in the tablet's place. */
export type DigestRows = { table: (typeof TABLES)[number]; row: Row }[];

/** Reads the rows the digest compares, each table as one read (not row by row), so it can run while the server builds its own. */
export async function localDigestRows(database: DigitukiDB, place: Place): Promise<DigestRows> {
  const tables = await Promise.all(TABLES.map(async (table) => ({ table, rows: (await database.table(table).toArray()) as Row[] })));
  return tables.flatMap(({ table, rows }) => rows.filter((row) => inPlace(table, row, place) && synced(table, row)).map((row) => ({ table, row })));
}

/** The digest entries of those rows; logs and feedback older than the server's window are not in its digest either (README: "Pull window"). */
export function digestEntriesOf(rows: DigestRows, datedFrom?: number): DigestEntry[] {
  return rows
    .filter(({ table, row }) => datedFrom === undefined || !datedBefore(table, row, datedFrom))
    .map(({ table, row }) =>
      table === 'feedback' ? { table, id: row.id, hlc: '' } : { table, id: row.id, hlc: row.hlc!, fieldClocks: row.fieldClocks ?? {} },
    );
}

/** What the tablet holds in its place, as the digest sees it. */
export async function localDigestEntries(database: DigitukiDB, place: Place, datedFrom?: number): Promise<DigestEntry[]> {
  return digestEntriesOf(await localDigestRows(database, place), datedFrom);
}

/** Feedback is insert-only: once refused, it is refused whatever its clock. */
function refusedKey(table: string, id: string, hlc: string): string {
  return `${table}/${id}@${table === 'feedback' ? '' : hlc}`;
}

/** The outbox entries that say a record again: one per distinct field clock, oldest first; feedback whole. */
function entriesOf(table: SyncedTable, row: Row, node: string): Omit<OutboxEntry, 'seq' | 'org' | 'site'>[] {
  if (table === 'feedback') {
    const createdAt = Number(row.createdAt) || 0;
    const fields = { sessionId: row.sessionId ?? null, createdAt: row.createdAt, lang: row.lang, answers: row.answers };
    return [{ table, recordId: row.id, hlc: serializeHlc({ wallMs: createdAt, counter: 0, node }), fields }];
  }
  const byClock = new Map<string, Record<string, unknown>>();
  for (const [name, clock] of Object.entries(row.fieldClocks ?? {})) {
    const fields = byClock.get(clock) ?? {};
    fields[name] = row[name] ?? null;
    byClock.set(clock, fields);
  }
  return [...byClock].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([hlc, fields]) => ({ table, recordId: row.id, hlc, fields }));
}

/** Queues these records of this place for sending again, in one transaction. Returns how many records were queued. */
export async function queueForResend(database: DigitukiDB, table: SyncedTable, ids: readonly string[], place: Place): Promise<number> {
  return database.transaction('rw', database.table(table), database.outbox, database.syncState, async () => {
    const refused = new Set((await readLocal(database, 'refusedClocks')) ?? []);
    const stored = await readLocal(database, 'nodeId');
    const node = typeof stored === 'string' && parseHlc(`000000000000000-0000-${stored}`) ? stored : 'tablet';
    let queued = 0;
    for (const row of (await database.table(table).bulkGet([...ids])) as (Row | undefined)[]) {
      if (!row || !inPlace(table, row, place) || !synced(table, row)) continue;
      if (refused.has(refusedKey(table, row.id, row.hlc ?? ''))) continue;
      const entries = entriesOf(table, row, node);
      if (!entries.length) continue;
      // Sent for this place: a record not placed yet is adopted by it, as at enrolment.
      await database.outbox.bulkAdd(entries.map((entry) => ({ ...entry, org: place.org, site: place.site })) as OutboxEntry[]);
      queued += 1;
    }
    return queued;
  });
}

/**
 * After the server is found to have lost what it acknowledged: this tablet's own write-only fields (its notes) are
 * queued again at their own clocks. The digest leaves them out on both sides, so reconciliation cannot see one the
 * server lost; another tablet re-sending the log (without its note) would otherwise make the loss final. Only the
 * author holds a note's clock (pulls leave it out), so a tablet re-sends exactly the notes it wrote. Returns how many.
 */
export async function queueOwnNotesAgain(database: DigitukiDB, place: Place): Promise<number> {
  const tables = Object.keys(WRITE_ONLY_FIELDS) as SyncedTable[];
  return database.transaction('rw', [...tables.map((table) => database.table(table)), database.outbox], async () => {
    const entries: OutboxEntry[] = [];
    for (const table of tables) {
      const names = WRITE_ONLY_FIELDS[table] ?? [];
      await database.table(table).each((row: Row) => {
        if (!inPlace(table, row, place) || !synced(table, row)) return;
        for (const name of names) {
          const clock = row.fieldClocks?.[name];
          // Sent as stored: a note still under the data key waits for an unlock to be sealed (org-note-key.ts).
          if (clock)
            entries.push({ table, recordId: row.id, hlc: clock, fields: { [name]: row[name] ?? null }, org: place.org, site: place.site } as OutboxEntry);
        }
      });
    }
    await database.outbox.bulkAdd(entries);
    return entries.length;
  });
}
