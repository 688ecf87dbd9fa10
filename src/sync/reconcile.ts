// Owns the tablet's reconciliation round (README: "Reconciliation"): compare the digest of what the tablet holds with
// the server's, and for the buckets that differ queue again what the server lacks or holds older and fetch exactly
// what the tablet lacks or holds older. Repairs travel as ordinary outbox mutations and merge by the one merge rule.
import { localDigestEntries, queueForResend } from '../db/reconcile-store';
import { applyPulledPage } from '../db/sync-store';
import {
  RECORDS_PER_REQUEST,
  SYNCED_TABLES,
  bucketsOf,
  differingBuckets,
  digestClock,
  isBuiltinId,
  recordsToRepair,
  tableDigests,
  type BucketsResponse,
  type DigestResponse,
  type PulledRecord,
  type RecordsResponse,
  type SyncedTable,
} from '../protocol';
import type { DigitukiDB } from '../db/db';

/** The server answered reconciliation with something that is not the protocol's shape. */
export class ReconcileAnswerError extends Error {}

/** The engine's connection, as much of it as reconciliation needs. */
export interface JsonCaller {
  json<T>(path: string, init?: RequestInit, accept?: (status: number) => boolean): Promise<{ status: number; body: T }>;
}

export interface Repairs {
  /** Records queued to be sent again (the server lacked them or held them older). */
  sent: number;
  /** Records fetched that the tablet lacked or held older. */
  fetched: number;
}

const post = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const isObject = (value: unknown): value is Record<string, unknown> => !!value && typeof value === 'object' && !Array.isArray(value);

/** One check. Undefined when the server offers no reconciliation (an older server answers 404). */
export async function reconcile(database: DigitukiDB, connection: JsonCaller, place: { org: string; site: string }): Promise<Repairs | undefined> {
  const digest = await connection.json<DigestResponse>('/v1/digest', {}, (status) => status === 200 || status === 404);
  if (digest.status === 404) return undefined;
  if (!isObject(digest.body) || !isObject(digest.body.tables)) throw new ReconcileAnswerError('digest');
  // Logs and feedback dated before the server's window are outside the comparison on both sides.
  const datedFrom = typeof digest.body.datedFrom === 'number' && Number.isFinite(digest.body.datedFrom) ? digest.body.datedFrom : undefined;
  const local = await localDigestEntries(database, place, datedFrom);
  const differing = differingBuckets(tableDigests(local), digest.body.tables);
  if (!Object.keys(differing).length) return { sent: 0, fetched: 0 };

  const lists = await connection.json<BucketsResponse>('/v1/digest/buckets', post({ buckets: differing }));
  if (!isObject(lists.body) || !isObject(lists.body.records)) throw new ReconcileAnswerError('buckets');
  const mine = bucketsOf(local);
  const repairs: Repairs = { sent: 0, fetched: 0 };
  const toFetch: { table: SyncedTable; id: string; clock: string }[] = [];
  for (const table of SYNCED_TABLES) {
    const buckets = differing[table];
    if (!buckets) continue;
    const theirs = lists.body.records[table] ?? [];
    if (!Array.isArray(theirs) || !theirs.every((pair) => Array.isArray(pair) && typeof pair[0] === 'string' && typeof pair[1] === 'string')) throw new ReconcileAnswerError('buckets');
    const ours = buckets.flatMap((bucket) => mine.get(table)?.get(bucket) ?? []);
    const { send, fetch } = recordsToRepair(ours, theirs);
    repairs.sent += await queueForResend(database, table, send, place);
    const clocks = new Map(theirs);
    // Built-in guides ship with the app and never take a server's copy (an old server may hold one).
    for (const id of fetch) if (!isBuiltinId(id)) toFetch.push({ table, id, clock: clocks.get(id)! });
  }

  for (let start = 0; start < toFetch.length; start += RECORDS_PER_REQUEST) {
    const chunk = toFetch.slice(start, start + RECORDS_PER_REQUEST);
    const request: Partial<Record<SyncedTable, string[]>> = {};
    for (const { table, id } of chunk) (request[table] ??= []).push(id);
    const fetched = await connection.json<RecordsResponse>('/v1/records', post({ records: request }));
    if (!isObject(fetched.body) || !Array.isArray(fetched.body.changes)) throw new ReconcileAnswerError('records');
    await applyPulledPage(database, fetched.body.changes as PulledRecord[], undefined, place);
  }
  // Counted as repaired: what now matches the server (a record the tablet keeps as shipped is not).
  if (toFetch.length) {
    const held = new Map((await localDigestEntries(database, place, datedFrom)).map((entry) => [`${entry.table}/${entry.id}`, digestClock(entry.table, entry.hlc, entry.fieldClocks)]));
    repairs.fetched = toFetch.filter(({ table, id, clock }) => held.get(`${table}/${id}`) === clock).length;
  }
  return repairs;
}
