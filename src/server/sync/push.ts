// Owns applying a push: each mutation at most once, in order, merged field by field, bad ones quarantined.
import { createHash } from 'node:crypto';
import {
  BLOB_REFERENCE_FIELDS,
  INSERT_ONLY_TABLES,
  TABLE_FIELDS,
  TABLE_SCOPE,
  acceptedClock,
  applyState,
  canonicalJson,
  describeIssues,
  escapeControlCharacters,
  isSyncedTable,
  maxHlc,
  mutation as mutationSchema,
  prototypeKeyPath,
  recordHlc,
  sameValue,
  stateOfMutation,
  type PushResponse,
  type QuarantineReason,
  type QuarantinedMutation,
} from '../../protocol';
import type { Device, Store } from '../store';
import { contentRefusal, redactedPayload } from './content-rules';
import type { PushTransaction } from '../store/store';

/** The request skipped a mutationId: nothing was applied and the device must resend from `expected`. */
export class MutationGap extends Error {
  constructor(readonly expected: number) {
    super(`Mutation ${expected} is missing: resend from ${expected}.`);
  }
}

/**
 * A mutationId the server has applied arrived again with other content: the tablet's storage went back to an
 * earlier copy and reused ids. Nothing was applied; the tablet numbers its waiting changes from `expected`.
 */
export class MutationConflict extends Error {
  constructor(readonly expected: number) {
    super(`Mutation ids before ${expected} were already used for other changes: number the waiting changes from ${expected}.`);
  }
}

/** What a mutation says, key order aside, without its id: a retry has the same digest, a reused id another. */
export function mutationDigest(entry: { mutationId: number; [key: string]: unknown }): string {
  const { mutationId: _id, ...content } = entry;
  return createHash('sha256').update(canonicalJson(content)).digest('hex').slice(0, 32);
}

/**
 * The request's mutationIds are not one ascending run (e.g. 4, 5, 1): the tablet's numbering went wrong (an older app
 * closed mid-enrolment). Nothing was applied; `expected` is the id the server wants next, to number again from.
 */
export class MutationsOutOfOrder extends Error {
  constructor(readonly expected: number) {
    super(`The mutations of one push must have consecutive, ascending mutationIds. Number the waiting changes from ${expected}.`);
  }
}

// A quarantined payload is for a person to look at, not a backup: keep it short.
const QUARANTINE_PAYLOAD_CHARS = 4000;

export async function applyPush(
  store: Store,
  device: Device,
  mutations: readonly { mutationId: number; [key: string]: unknown }[],
  now: number,
): Promise<PushResponse> {
  const inOrder = mutations.every((entry, index) => index === 0 || entry.mutationId === mutations[index - 1]!.mutationId + 1);
  return store.push(device, async (tx) => {
    // Checked inside the transaction: `expected` must be what the device row says now, or a renumbered resend could
    // reuse an id the server has applied and be ignored as a duplicate.
    if (!inOrder) throw new MutationsOutOfOrder(tx.lastMutationId + 1);
    const response: PushResponse = { lastMutationId: tx.lastMutationId, applied: 0, duplicates: 0, quarantined: [], clamped: [], lastHlc: tx.lastHlc, missingBlobs: [], serverTime: now };
    const fresh = mutations.filter((entry) => entry.mutationId > tx.lastMutationId);
    response.duplicates = mutations.length - fresh.length;
    if (fresh.length && fresh[0]!.mutationId !== tx.lastMutationId + 1) throw new MutationGap(tx.lastMutationId + 1);
    // A seen id counts as a retry only with the same content (digests are kept QUARANTINE_KEEP_DAYS).
    const repeated = mutations.filter((entry) => entry.mutationId <= tx.lastMutationId);
    const seen = await tx.mutationDigests(repeated.map((entry) => entry.mutationId));
    if (repeated.some((entry) => seen.has(entry.mutationId) && seen.get(entry.mutationId) !== mutationDigest(entry))) throw new MutationConflict(tx.lastMutationId + 1);
    const blobReferences = new Set<string>();
    // The device's last kept clock lives in its (locked) row: every process hands out clamps after it, never a tie.
    const deviceClock = { last: tx.lastHlc };
    for (const entry of fresh) {
      await tx.logMutation(entry.mutationId, mutationDigest(entry), now);
      const refused = await applyOne(tx, device, entry, now, deviceClock, response, blobReferences);
      if (refused) {
        response.quarantined.push(refused);
        await tx.quarantine({
          orgId: device.orgId,
          siteId: device.siteId,
          deviceId: device.id,
          mutationId: entry.mutationId,
          reason: refused.reason,
          message: refused.message,
          payload: escapeControlCharacters(redactedPayload(entry, QUARANTINE_PAYLOAD_CHARS)),
          createdAt: now,
        });
      } else response.applied += 1;
    }
    if (fresh.length) response.lastMutationId = fresh[fresh.length - 1]!.mutationId;
    const present = await tx.blobsPresent(device.orgId, [...blobReferences]);
    response.missingBlobs = [...blobReferences].filter((hash) => !present.has(hash)).sort();
    response.lastHlc = deviceClock.last;
    return { result: response, lastMutationId: response.lastMutationId, lastHlc: deviceClock.last };
  });
}

/** Applies one mutation; answers why it was refused, or undefined when it was applied (or was a no-op). */
async function applyOne(
  tx: PushTransaction,
  device: Device,
  entry: { mutationId: number; [key: string]: unknown },
  now: number,
  deviceClock: { last: string },
  response: PushResponse,
  blobReferences: Set<string>,
): Promise<QuarantinedMutation | undefined> {
  const refuse = (reason: QuarantineReason, message: string): QuarantinedMutation => ({ mutationId: entry.mutationId, reason, message: escapeControlCharacters(message) });
  // "__proto__" is plain data to JSON but a prototype to JavaScript objects: refuse it before anything copies the entry.
  const prototypeKey = prototypeKeyPath(entry);
  if (prototypeKey) return refuse(prototypeKey.startsWith('fields.') ? 'invalid_fields' : 'malformed_mutation', `${prototypeKey}: __proto__ is never a field or key name`);
  if (!isSyncedTable(entry.table)) {
    // Only a string is shown: String() of an object with a "toString" key would throw.
    return refuse('unknown_table', typeof entry.table === 'string' ? `There is no synced table called "${entry.table.slice(0, 40)}".` : 'The table must be named by a string.');
  }
  const envelope = mutationSchema.safeParse(entry);
  if (!envelope.success) return refuse('malformed_mutation', describeIssues(envelope.error));
  const { table, id } = envelope.data;
  const refusal = contentRefusal(table, id, envelope.data.fields);
  if (refusal) return refuse(refusal.reason, refusal.message);
  const checked = TABLE_FIELDS[table].safeParse(entry.fields);
  if (!checked.success) return refuse('invalid_fields', describeIssues(checked.error));
  const validFields = checked.data as Record<string, unknown>;

  const accepted = acceptedClock(envelope.data.hlc, now, deviceClock.last);
  const hlc = accepted.hlc;
  if (accepted.clamped) response.clamped.push({ mutationId: entry.mutationId, hlc });
  deviceClock.last = maxHlc(deviceClock.last, hlc);
  for (const field of BLOB_REFERENCE_FIELDS[table] ?? []) {
    const hash = validFields[field];
    if (typeof hash === 'string') blobReferences.add(hash);
  }

  // Tenancy: the organisation and site come from the device's enrolment, never from the mutation.
  const key = { orgId: device.orgId, siteId: TABLE_SCOPE[table] === 'site' ? device.siteId : '', table, id };
  const existing = await tx.findRecord(key);
  if (INSERT_ONLY_TABLES.includes(table)) {
    if (!existing) {
      const state = stateOfMutation(validFields, hlc);
      await tx.saveRecord({ ...key, ...state, hlc }, now);
      return undefined;
    }
    // The same feedback sent again (a retried outbox entry) is harmless; a different one under the same id is not.
    if (sameValue(existing.fields, validFields)) return undefined;
    return refuse('feedback_is_insert_only', 'Feedback is never changed once given; this id already has different answers.');
  }
  const outcome = applyState(existing, stateOfMutation(validFields, hlc));
  if (outcome.changedFields.length) await tx.saveRecord({ ...key, ...outcome.state, hlc: recordHlc(outcome.state) }, now);
  return undefined;
}
