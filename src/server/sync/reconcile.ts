// Owns the server side of reconciliation: the digest of everything a device may see, the (id, clock) lists of the
// buckets it asks for, and whole records by id. Read-only: repairs travel as ordinary pushes and as these reads.
import {
  DIGEST_BUCKET_CHARS,
  bucketsOf,
  isSyncedTable,
  tableDigests,
  withoutWriteOnlyFields,
  type BucketRecords,
  type BucketsRequest,
  type BucketsResponse,
  type DigestEntry,
  type DigestResponse,
  type PulledRecord,
  type RecordsRequest,
  type RecordsResponse,
  type SyncedTable,
} from '../../protocol';
import type { Device, Store } from '../store';

// `datedFrom`: logs and feedback dated before it are outside what the device may see (the pull window), here as in pulls.
async function entriesOf(store: Store, device: Device, datedFrom?: number): Promise<DigestEntry[]> {
  const rows = await store.digestEntries(device.orgId, device.siteId, datedFrom);
  return rows.filter((row): row is DigestEntry => isSyncedTable(row.table));
}

export async function digestFor(store: Store, device: Device, now: number, datedFrom?: number): Promise<DigestResponse> {
  return {
    tables: tableDigests(await entriesOf(store, device, datedFrom)),
    bucketChars: DIGEST_BUCKET_CHARS,
    serverTime: now,
    ...(datedFrom === undefined ? {} : { datedFrom }),
  };
}

export async function bucketRecordsFor(store: Store, device: Device, request: BucketsRequest, datedFrom?: number): Promise<BucketsResponse> {
  const grouped = bucketsOf(await entriesOf(store, device, datedFrom));
  const records: BucketRecords = {};
  for (const [table, buckets] of Object.entries(request.buckets) as [SyncedTable, string[]][]) {
    const wanted = new Set(buckets);
    records[table] = [...(grouped.get(table) ?? new Map<string, [string, string][]>())].filter(([bucket]) => wanted.has(bucket)).flatMap(([, list]) => list);
  }
  return { records };
}

export async function recordsFor(store: Store, device: Device, request: RecordsRequest, now: number, datedFrom?: number): Promise<RecordsResponse> {
  const changes: PulledRecord[] = [];
  for (const [table, ids] of Object.entries(request.records) as [SyncedTable, string[]][]) {
    for (const row of await store.recordsByIds(device.orgId, device.siteId, table, [...new Set(ids)], datedFrom)) {
      changes.push(withoutWriteOnlyFields({ table, id: row.id, fields: row.fields, fieldClocks: row.fieldClocks, hlc: row.hlc })); // no notes back
    }
  }
  return { changes, serverTime: now };
}
