// Owns the tablet's reconciliation round (README: "Reconciliation"): compare the digest of what the tablet holds with
// the server's, and for the buckets that differ queue again what the server lacks or holds older and fetch exactly
// what the tablet lacks or holds older. Repairs travel as ordinary outbox mutations and merge by the one merge rule.
import { digestEntriesOf, localDigestEntries, localDigestRows, queueForResend } from '../db/reconcile';
import { applyPulledPage } from '../db/sync';
import type * as z from 'zod/mini';
import {
  RECORDS_PER_REQUEST,
  SYNCED_TABLES,
  bucketsOf,
  differingBuckets,
  digestClock,
  isBuiltinId,
  recordsToRepair,
  tableDigests,
  type SyncedTable,
} from '../protocol';
import { bucketsAnswer, digestAnswer, recordsAnswer, wholeStates } from '../protocol/responses';
import type { DigitukiDB } from '../db/db';

/** The engine's connection, as much of it as reconciliation needs: answers checked against the protocol's schemas. */
export interface JsonCaller {
  json<T>(path: string, schema: z.ZodMiniType<T>, init?: RequestInit): Promise<T>;
  jsonUnless404<T>(path: string, schema: z.ZodMiniType<T>, init?: RequestInit, allow404?: boolean, onSent?: () => void): Promise<T | undefined>;
}

export interface Repairs {
  /** Records queued to be sent again (the server lacked them or held them older). */
  sent: number;
  /** Records fetched that the tablet lacked or held older. */
  fetched: number;
}

const post = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

/** Asks for the server's digest (undefined from an older server, which answers 404). `onSent`: once it has left. */
export function askDigest(connection: JsonCaller, onSent?: () => void): Promise<z.infer<typeof digestAnswer> | undefined> {
  return connection.jsonUnless404('/v1/digest', digestAnswer, {}, true, onSent);
}

/**
 * One check. Undefined when the server offers no reconciliation (an older server answers 404). `asked`: the digest
 * asked for already, once the round's last pulled page was in (the server built it while that page was stored).
 */
export async function reconcile(
  database: DigitukiDB,
  connection: JsonCaller,
  place: { org: string; site: string },
  asked = askDigest(connection),
): Promise<Repairs | undefined> {
  const held = localDigestRows(database, place); // read while the server builds its digest
  held.catch(() => undefined); // awaited below; an answer that fails first is the error that counts
  const digest = await asked;
  if (!digest) return undefined;
  // Logs and feedback dated before the server's window are outside the comparison on both sides.
  const datedFrom = digest.datedFrom;
  const local = digestEntriesOf(await held, datedFrom);
  const differing = differingBuckets(tableDigests(local), digest.tables);
  if (!Object.keys(differing).length) return { sent: 0, fetched: 0 };

  const lists = await connection.json('/v1/digest/buckets', bucketsAnswer, post({ buckets: differing }));
  const mine = bucketsOf(local);
  const repairs: Repairs = { sent: 0, fetched: 0 };
  const toFetch: { table: SyncedTable; id: string; clock: string }[] = [];
  for (const table of SYNCED_TABLES) {
    const buckets = differing[table];
    if (!buckets) continue;
    const theirs = lists.records[table] ?? [];
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
    const fetched = await connection.json('/v1/records', recordsAnswer, post({ records: request }));
    await applyPulledPage(database, wholeStates(fetched.changes, false), undefined, place);
  }
  // Counted as repaired: what now matches the server (a record the tablet keeps as shipped is not).
  if (toFetch.length) {
    const held = new Map(
      (await localDigestEntries(database, place, datedFrom)).map((entry) => [
        `${entry.table}/${entry.id}`,
        digestClock(entry.table, entry.hlc, entry.fieldClocks),
      ]),
    );
    repairs.fetched = toFetch.filter(({ table, id, clock }) => held.get(`${table}/${id}`) === clock).length;
  }
  return repairs;
}
