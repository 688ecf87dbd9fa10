// Owns pulling: an organisation's changes after a cursor, paged, that a device is allowed to see.
//
// The cursor is "<generation>.<epoch>.<seq>": seq is the organisation's change counter given out at commit (never a
// client clock), epoch is random per organisation, generation is random per database and changes whenever the
// database may have gone back in time (restored from a backup, see README). Anything else — garbage, another
// organisation's cursor, a cursor of an earlier generation or a two-part cursor of the first release — restarts the
// device from the beginning; merging is idempotent, so a full resend is always safe.
import { BLOB_REFERENCE_FIELDS, LIMITS, WRITE_ONLY_FIELDS, type PullResponse, type PulledRecord, type SyncedTable } from '../../protocol';
import type { Device, Store } from '../store';
import type { StoredRecord } from '../store/store';

const CURSOR_PATTERN = /^([0-9a-f]{16})\.([0-9a-f]{16})\.(\d{1,15})$/;

export function encodeCursor(generation: string, epoch: string, seq: number): string {
  return `${generation}.${epoch}.${seq}`;
}

/**
 * The change counter a cursor sent with a push stands at ("0": a tablet that has pulled nothing yet), with the way to
 * write a cursor of the same generation and epoch; undefined for a cursor this database did not give out.
 */
export async function seenByCursor(
  store: Store,
  device: Device,
  cursor: string | undefined,
): Promise<{ seq: number; cursorFor: (seq: number) => string } | undefined> {
  if (cursor === undefined) return undefined;
  const [organisation, generation] = await Promise.all([store.findOrganisation(device.orgId), store.generation()]);
  if (!organisation) return undefined;
  const cursorFor = (seq: number) => encodeCursor(generation, organisation.cursorEpoch, seq);
  if (cursor.trim() === '0') return { seq: 0, cursorFor };
  const match = CURSOR_PATTERN.exec(cursor.trim());
  if (!match || match[1] !== generation || match[2] !== organisation.cursorEpoch) return undefined;
  return { seq: Number(match[3]), cursorFor };
}

/** `datedFrom`: logs and feedback dated before it are not sent (the pull window; README "Pull window and retention"). */
export async function pullChanges(
  store: Store,
  device: Device,
  cursor: string | undefined,
  requestedLimit: number | undefined,
  now: number,
  compact = false,
  datedFrom?: number,
): Promise<PullResponse> {
  const [organisation, generation] = await Promise.all([store.findOrganisation(device.orgId), store.generation()]);
  if (!organisation) throw new Error('The device belongs to an organisation that no longer exists.');
  const limit = Math.min(Math.max(requestedLimit ?? LIMITS.pullDefault, 1), LIMITS.pullMax);
  let afterSeq = 0;
  let reset = false;
  if (cursor) {
    const match = CURSOR_PATTERN.exec(cursor);
    const seq = match ? Number(match[3]) : NaN;
    if (match && match[1] === generation && match[2] === organisation.cursorEpoch && seq <= organisation.changeSeq) afterSeq = seq;
    else reset = true;
  }
  // Every record with seq ≤ this counter value was committed with it (the counter is written in the same transaction).
  const committedUpTo = organisation.changeSeq;
  const rows = await store.changesSince(device.orgId, device.siteId, afterSeq, limit + 1, datedFrom);
  const more = rows.length > limit;
  const page = rows.slice(0, limit);
  const lastSeq = page.length ? page[page.length - 1]!.seq : afterSeq;
  // With nothing more to send, jump over other sites' changes so the next pull does not scan them again.
  const nextSeq = more ? lastSeq : Math.max(lastSeq, committedUpTo);
  const changes: PulledRecord[] = page.map((row) => pulledChange(row, compact));
  const response: PullResponse = { changes, cursor: encodeCursor(generation, organisation.cursorEpoch, nextSeq), more, reset, serverTime: now };
  if (compact) response.compactClocks = true;
  const missing = await missingPictures(store, device.orgId, changes);
  if (missing.length) response.missingBlobs = missing;
  return response;
}

/**
 * A stored record as a tablet gets it: without the write-only fields' values and clocks (notes are written for the
 * server, README "Session notes"), and with `compact` only the clocks that differ from the record clock (a record
 * written at once has none). The same change withoutWriteOnlyFields and then compactClocks make, in one pass over
 * the fields and one over the clocks instead of entries, filters and copies.
 */
export function pulledChange(row: StoredRecord, compact: boolean): PulledRecord {
  const table = row.table as SyncedTable;
  const hidden = WRITE_ONLY_FIELDS[table] ?? NONE_HIDDEN;
  const hides = hidden.some((name) => Object.hasOwn(row.fields, name) || Object.hasOwn(row.fieldClocks, name));
  let fields = row.fields;
  if (hides) {
    fields = {};
    for (const name of Object.keys(row.fields)) if (!hidden.includes(name)) keepOwn(fields, name, row.fields[name]);
  }
  let fieldClocks = row.fieldClocks;
  if (compact) {
    fieldClocks = {};
    for (const name of Object.keys(row.fieldClocks)) {
      const clock = row.fieldClocks[name]!;
      if (clock !== row.hlc && !(hides && hidden.includes(name))) fieldClocks[name] = clock;
    }
  } else if (hides) {
    fieldClocks = {};
    for (const name of Object.keys(row.fieldClocks)) if (!hidden.includes(name)) keepOwn(fieldClocks, name, row.fieldClocks[name]!);
  }
  return { table, id: row.id, fields, fieldClocks, hlc: row.hlc };
}

const NONE_HIDDEN: readonly string[] = [];

/** Sets an own property as Object.fromEntries does: a stored "__proto__" key stays a key, never the prototype. */
function keepOwn<T>(target: Record<string, T>, name: string, value: T): void {
  if (name === '__proto__') Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
  else target[name] = value;
}

/** Pictures the page's live records refer to and the organisation lacks (an upload failed, or a restore lost it). */
async function missingPictures(store: Store, orgId: string, changes: readonly PulledRecord[]): Promise<string[]> {
  const referenced = new Set<string>();
  for (const change of changes) {
    if (change.fields.deleted === 1) continue;
    for (const field of BLOB_REFERENCE_FIELDS[change.table] ?? []) {
      const hash = change.fields[field];
      if (typeof hash === 'string') referenced.add(hash);
    }
  }
  const present = await store.blobsPresent(orgId, [...referenced]);
  return [...referenced].filter((hash) => !present.has(hash)).sort();
}
