// Owns applying a push: each mutation at most once, in order, merged field by field, bad ones quarantined.
//
// Set-based: the push's mutations are checked and clocked in memory, the records they touch are read in one query per
// table, merged in memory by the same per-field rule, and written back in one statement, all in one transaction.
// The result (stored rows, change numbers, answer) is the same as applying the mutations one by one.
import { hash } from 'node:crypto';
import * as z from 'zod/mini';
import { openSealedNotes } from './sealed-notes';
import {
  BLOB_REFERENCE_FIELDS,
  DATED_FIELDS,
  INSERT_ONLY_TABLES,
  RETENTION_DEFAULT_MONTHS,
  TABLE_FIELDS,
  TABLE_SCOPE,
  acceptedClock,
  applyState,
  canonicalJson,
  describeIssues,
  escapeControlCharacters,
  isSyncedTable,
  maxHlc,
  datedBefore,
  describeMonths,
  keptAgain,
  monthsBefore,
  mutation as mutationSchema,
  prototypeKeyPath,
  recordHlc,
  sameValue,
  stateOfMutation,
  SYNCED_TABLES,
  type PushResponse,
  type SyncedTable,
  type QuarantineReason,
  type QuarantinedMutation,
  type RecordState,
} from '../../protocol';
import type { Device, Store } from '../store';
import type { ChangedRecord, PushTransaction, QuarantineEntry, RecordKey, StoredRecord } from '../store/store';
import { GroupCommit, type ItemOutcome } from './push-groups';
import { contentRefusal, redactedPayload } from './content-rules';

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
  // crypto.hash: the same SHA-256 of the same UTF-8 bytes as createHash, without a Hash object per change.
  return hash('sha256', canonicalJson(content), 'hex').slice(0, 32);
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

/** A push as it waits to be applied: its device, its mutations (sealed notes opened), and what its answer depends on. */
export interface PendingPush {
  device: Device;
  mutations: readonly { mutationId: number; [key: string]: unknown }[];
  now: number;
  /** The organisation's retention and the date before which logs and feedback are refused. */
  retention: { months: number; before: number };
  /** The change counter the device's pull cursor stands at (sent with the push) and how to write a cursor for a counter. */
  pulledUpTo?: { seq: number; cursorFor: (seq: number) => string };
}

/** What one push of a group comes to: its answer, or the error that refused all of it (nothing of it was written). */
export type PushOutcome = ItemOutcome<PushResponse>;

export async function applyPush(
  store: Store,
  device: Device,
  mutations: readonly { mutationId: number; [key: string]: unknown }[],
  now: number,
  /** The change counter the device's pull cursor stands at (sent with the push) and how to write a cursor for a counter. */
  pulledUpTo?: { seq: number; cursorFor: (seq: number) => string },
): Promise<PushResponse> {
  // Sealed notes are opened before anything else looks at the push: the rules and the records see the text.
  const opened = await openSealedNotes(store, device.orgId, mutations, now);
  // Logs and feedback older than the organisation's retention are refused: the server would delete them at once.
  const retentionMonths = (await store.getRetention(device.orgId))?.months ?? RETENTION_DEFAULT_MONTHS;
  const retention = { months: retentionMonths, before: monthsBefore(now, retentionMonths) };
  // Pushes of the organisation that arrive while one is being applied are applied together (push-groups.ts).
  return pushGroups(store).submit({ device, mutations: opened, now, retention, ...(pulledUpTo ? { pulledUpTo } : {}) });
}

/** One push of a group, decided as far as it can be without the stored records. */
interface PlannedPush {
  push: PendingPush;
  response: PushResponse;
  fresh: readonly { mutationId: number; [key: string]: unknown }[];
  refusals: Map<number, QuarantinedMutation>;
  accepted: AcceptedMutation[];
  blobReferences: Set<string>;
  counter?: { before: number; after: number };
}

/**
 * Applies a group of pushes of one organisation (distinct devices) in one transaction: each device's mutations at
 * most once and in order, then one counter lock, one read of every touched record, merging in memory push after push
 * (as if they came one by one in this order), one write. A push refused as a whole (a gap, reused ids, ids out of
 * order) writes nothing and leaves the others alone. Answers in the order of `pushes`.
 */
export async function applyPushGroup(store: Store, pushes: readonly PendingPush[]): Promise<PushOutcome[]> {
  const orgId = pushes[0]!.device.orgId;
  if (pushes.some((push) => push.device.orgId !== orgId)) throw new Error("A push group holds one organisation's pushes.");
  if (new Set(pushes.map((push) => push.device.id)).size !== pushes.length) throw new Error('A push group holds one push per device.');
  const now = Math.max(...pushes.map((push) => push.now));
  return store.pushGroup(
    orgId,
    pushes.map((push) => push.device.id),
    async (tx) => {
      const outcomes: PushOutcome[] = [];
      const planned: PlannedPush[] = [];
      // Clocks this group kept for clamped changes: a later push of the group that sends one of them again sees them.
      const kept: KeptInGroup = { clocks: new Map(), remember: [] };
      for (const push of pushes) {
        try {
          const plan = await planPush(tx, push, kept);
          if (!('fresh' in plan))
            outcomes.push(plan); // nothing new: answered as it is
          else {
            planned.push(plan);
            outcomes.push({ response: plan.response });
          }
        } catch (error) {
          if (!(error instanceof MutationGap || error instanceof MutationConflict || error instanceof MutationsOutOfOrder || error instanceof DeviceGone))
            throw error;
          outcomes.push({ refused: error });
        }
      }
      if (!planned.length) return outcomes;
      if (kept.remember.length) await tx.rememberKeptClocks(kept.remember, now);
      await tx.logMutations(
        planned.flatMap(({ push, fresh }) => fresh.map((entry) => ({ deviceId: push.device.id, mutationId: entry.mutationId, digest: mutationDigest(entry) }))),
        now,
      );
      await tx.settleDevices(
        planned.map(({ push, response }) => ({ deviceId: push.device.id, lastMutationId: response.lastMutationId, lastHlc: response.lastHlc! })),
      );

      const writing = planned.filter((plan) => plan.accepted.length);
      if (writing.length) {
        // From here to the commit the organisation's writers wait: one read, merging in memory, one write.
        const lastSeq = await tx.lockChangeCounter();
        // Logs and answers retention deleted: a change to one (even one field) would bring part of it back. Read under the
        // counter lock, which retention holds while it deletes, so a run that finished a moment ago is seen here.
        // One read for both: a deleted log has no stored record, so reading the keys of expired ones finds nothing more.
        const keys = writing.flatMap((plan) => plan.accepted.map((mutation) => mutation.key));
        const datedKeys = keys.filter((key) => Object.hasOwn(DATED_FIELDS, key.table));
        const found = await tx.findRecords(uniqueKeys(keys), uniqueKeys(datedKeys));
        const expired = new Set(found.expired.map(recordKeyText));
        // The records as each push finds them: stored ones, then as the pushes before it in the group left them.
        const current = new Map<string, Omit<StoredRecord, 'seq'>>();
        for (const record of found.stored) {
          const text = recordKeyText(record);
          if (!expired.has(text)) current.set(text, record);
        }
        const written = new Map<string, ChangedRecord>();
        let seq = lastSeq;
        for (const plan of writing) {
          const kept = plan.accepted.filter((mutation) => {
            if (!expired.size || !expired.has(recordKeyText(mutation.key))) return true;
            plan.refusals.set(mutation.mutationId, retentionRefusal(plan.push, mutation.mutationId));
            return false;
          });
          const touched = new Map<string, Omit<StoredRecord, 'seq'>>();
          for (const mutation of kept) {
            const text = recordKeyText(mutation.key);
            const record = current.get(text);
            if (record) touched.set(text, record);
          }
          const merged = mergeBatch(touched, kept);
          for (const [mutationId, refused] of merged.refusals) plan.refusals.set(mutationId, refused);
          for (const { record, change } of merged.records) {
            const text = recordKeyText(record);
            current.set(text, record);
            // Organisation guides and steps remember which tablet changed them last, for the console (never pulled).
            written.set(text, {
              ...record,
              seq: seq + change,
              changedBy: TABLE_SCOPE[record.table as SyncedTable] === 'organisation' ? plan.push.device.id : null,
            });
          }
          plan.counter = { before: seq, after: seq + merged.changes };
          seq += merged.changes;
        }
        if (seq > lastSeq) await tx.saveRecords([...written.values()], seq, now);
        const references = new Set(writing.flatMap((plan) => [...plan.blobReferences]));
        const present = await tx.blobsPresent(orgId, [...references]);
        for (const plan of writing) plan.response.missingBlobs = [...plan.blobReferences].filter((hash) => !present.has(hash)).sort();
      }

      const quarantine: QuarantineEntry[] = [];
      for (const plan of planned) {
        const { push, response, fresh, refusals } = plan;
        const quarantined = fresh.filter((entry) => refusals.has(entry.mutationId));
        response.quarantined = quarantined.map((entry) => refusals.get(entry.mutationId)!);
        for (const entry of quarantined)
          quarantine.push({
            orgId,
            siteId: push.device.siteId,
            deviceId: push.device.id,
            mutationId: entry.mutationId,
            reason: refusals.get(entry.mutationId)!.reason,
            message: refusals.get(entry.mutationId)!.message,
            payload: escapeControlCharacters(redactedPayload(entry, QUARANTINE_PAYLOAD_CHARS)),
            createdAt: push.now,
          });
        response.applied = fresh.length - quarantined.length;
        // No echo: a device that had seen every change before this push has seen every change up to its end as well
        // (its own, which it holds already; a refused one it keeps locally, so then it pulls as before). In a group,
        // "before this push" includes the group's earlier pushes.
        const { pulledUpTo } = push;
        if (pulledUpTo && plan.counter && pulledUpTo.seq === plan.counter.before && quarantined.length === 0)
          response.cursor = pulledUpTo.cursorFor(plan.counter.after);
      }
      await tx.quarantine(quarantine);
      return outcomes;
    },
  );
}

const groupCommits = new WeakMap<Store, GroupCommit<PendingPush & { groupKey: string; member: string; size: number }, PushResponse>>();

/** The store's group commit: pushes of one organisation that wait together are applied together. */
function pushGroups(store: Store) {
  let groups = groupCommits.get(store);
  if (!groups) {
    groups = new GroupCommit((pushes) => applyPushGroup(store, pushes));
    groupCommits.set(store, groups);
  }
  return {
    submit: (push: PendingPush) => groups.submit({ ...push, groupKey: push.device.orgId, member: push.device.id, size: push.mutations.length }),
  };
}

/** The device was removed while its push waited: nothing of the push is applied. */
export class DeviceGone extends Error {
  constructor() {
    super('This tablet is no longer enrolled.');
  }
}

function retentionRefusal(push: PendingPush, mutationId: number): QuarantinedMutation {
  return {
    mutationId,
    reason: 'older_than_retention',
    message: `The organisation keeps logs and feedback for ${describeMonths(push.retention.months)}; this one is older, so it is not kept.`,
  };
}

/** The clocks a group of pushes kept for clamped changes (change key → clock), and those to remember for good. */
interface KeptInGroup {
  clocks: Map<string, string>;
  remember: { changeKey: string; hlc: string }[];
}

/** A change as the server remembers its clocks: its table, record and a clock as it was sent. */
function changeKey(key: RecordKey, clock: string): string {
  // Neither a table name nor a clock holds "/", so the id between them cannot run into either.
  return `${key.table}/${key.id}/${clock}`;
}

/**
 * Decides one push as far as the device's locked row and the push itself allow: refused as a whole (thrown), nothing
 * new (its answer), or its fresh mutations, refusals and accepted changes with their clocks.
 */
async function planPush(tx: PushTransaction, push: PendingPush, kept: KeptInGroup): Promise<{ response: PushResponse } | PlannedPush> {
  const { device, mutations, now, retention } = push;
  const progress = tx.devices.get(device.id);
  if (!progress) throw new DeviceGone();
  // Checked inside the transaction: `expected` must be what the device row says now, or a renumbered resend could
  // reuse an id the server has applied and be ignored as a duplicate.
  const inOrder = mutations.every((entry, index) => index === 0 || entry.mutationId === mutations[index - 1]!.mutationId + 1);
  if (!inOrder) throw new MutationsOutOfOrder(progress.lastMutationId + 1);
  const response: PushResponse = {
    lastMutationId: progress.lastMutationId,
    applied: 0,
    duplicates: 0,
    quarantined: [],
    clamped: [],
    lastHlc: progress.lastHlc,
    missingBlobs: [],
    serverTime: now,
  };
  const fresh = mutations.filter((entry) => entry.mutationId > progress.lastMutationId);
  response.duplicates = mutations.length - fresh.length;
  if (fresh.length && fresh[0]!.mutationId !== progress.lastMutationId + 1) throw new MutationGap(progress.lastMutationId + 1);
  // A seen id counts as a retry only with the same content (digests are kept QUARANTINE_KEEP_DAYS).
  const repeated = mutations.filter((entry) => entry.mutationId <= progress.lastMutationId);
  const seen = await tx.mutationDigests(
    device.id,
    repeated.map((entry) => entry.mutationId),
  );
  if (repeated.some((entry) => seen.has(entry.mutationId) && seen.get(entry.mutationId) !== mutationDigest(entry)))
    throw new MutationConflict(progress.lastMutationId + 1);
  if (!fresh.length) return { response };

  // Everything that does not depend on stored records is decided before the organisation's counter is locked.
  const refusals = new Map<number, QuarantinedMutation>();
  const checkedOnes: Extract<ReturnType<typeof checkMutation>, { key: RecordKey }>[] = [];
  for (const entry of fresh) {
    const checked = checkMutation(device, entry);
    if ('refused' in checked) refusals.set(entry.mutationId, checked.refused);
    else if (Object.hasOwn(DATED_FIELDS, checked.key.table) && datedBefore(checked.key.table, checked.fields, retention.before))
      refusals.set(entry.mutationId, retentionRefusal(push, entry.mutationId));
    else checkedOnes.push(checked);
  }
  // Changes the server clamped before, sent again (from a backup restored on this tablet, or renumbered): one read.
  const keys = new Set<string>();
  for (const checked of checkedOnes) {
    keys.add(changeKey(checked.key, checked.sentHlc));
    for (const clock of Object.values(checked.earlier ?? {})) keys.add(changeKey(checked.key, clock));
  }
  const remembered = await tx.keptClocks([...keys].filter((key) => !kept.clocks.has(key)));
  for (const [key, clock] of remembered) kept.clocks.set(key, clock);

  const accepted: AcceptedMutation[] = [];
  // The device's last kept clock lives in its (locked) row: every process hands out clamps after it, never a tie.
  let deviceClock = progress.lastHlc;
  const blobReferences = new Set<string>();
  for (const checked of checkedOnes) {
    const { mutation, clamped } = keptClocksOf(checked, now, deviceClock, kept);
    if (clamped) response.clamped.push(clamped);
    deviceClock = maxHlc(deviceClock, mutation.hlc);
    for (const field of BLOB_REFERENCE_FIELDS[checked.key.table as SyncedTable] ?? []) {
      const hash = checked.fields[field];
      if (typeof hash === 'string') blobReferences.add(hash);
    }
    accepted.push(mutation);
  }
  response.lastMutationId = fresh[fresh.length - 1]!.mutationId;
  response.lastHlc = deviceClock;
  return { push, response, fresh, refusals, accepted, blobReferences };
}

/**
 * The clocks a checked change is kept at, and its entry in the answer's `clamped` when they are not the ones it was
 * sent with: those the server kept it at before (sent again), a clamp (remembered in `kept`), or as sent.
 */
function keptClocksOf(
  checked: Omit<AcceptedMutation, 'hlc'> & { sentHlc: string },
  now: number,
  deviceClock: string,
  kept: KeptInGroup,
): { mutation: AcceptedMutation; clamped?: PushResponse['clamped'][number] } {
  const { earlier: sentEarlier, sentHlc, ...rest } = checked;
  // Nearly every push: nothing of it was ever clamped, and its clocks are not ahead.
  if (!kept.clocks.size && !acceptedClock(sentHlc, now, deviceClock).clamped)
    return { mutation: { ...rest, hlc: sentHlc, ...(sentEarlier ? { earlier: sentEarlier } : {}) } };
  const again = keptAgain({ hlc: sentHlc, ...(sentEarlier ? { earlier: sentEarlier } : {}) }, (clock) => kept.clocks.get(changeKey(checked.key, clock)));
  const withEarlier = (hlc: string): AcceptedMutation => ({ ...rest, hlc, ...(again.earlier ? { earlier: again.earlier } : {}) });
  const answer = (hlc: string) => ({ mutationId: checked.mutationId, hlc, ...(again.earlier ? { fieldClocks: again.earlier } : {}) });
  // Kept at other clocks before: the same clocks again, whatever the server's time is now.
  if (again.hlc !== sentHlc) return { mutation: withEarlier(again.hlc), clamped: answer(again.hlc) };
  const clock = acceptedClock(sentHlc, now, deviceClock);
  // Not ahead: each field at the clock it was written, but one kept at another clock before at that one.
  if (!clock.clamped) return again.changed ? { mutation: withEarlier(sentHlc), clamped: answer(sentHlc) } : { mutation: withEarlier(sentHlc) };
  // A clamped change is kept with every field at the clamp's clock, and so is the same change sent again later.
  for (const sent of [sentHlc, ...Object.values(sentEarlier ?? {})]) {
    const key = changeKey(checked.key, sent);
    if (kept.clocks.has(key)) continue;
    kept.clocks.set(key, clock.hlc);
    kept.remember.push({ changeKey: key, hlc: clock.hlc });
  }
  return { mutation: { ...rest, hlc: clock.hlc }, clamped: { mutationId: checked.mutationId, hlc: clock.hlc } };
}

/** A mutation that passed every check of its own: where it goes, its valid fields and the clock it is kept at. */
export interface AcceptedMutation {
  mutationId: number;
  key: RecordKey;
  fields: Record<string, unknown>;
  hlc: string;
  /** Fields written before `hlc` with their own clocks (a tablet's merged saves, issue 16); only when not clamped. */
  earlier?: Record<string, string>;
}

/** Table, site and id of a record as one map key (the organisation is the device's). */
export function recordKeyText(key: RecordKey): string {
  // Each length before its text: no table or site can run into the next part, whatever characters they hold.
  return `${key.table.length}:${key.table}${key.siteId.length}:${key.siteId}${key.id}`;
}

function uniqueKeys(keys: readonly RecordKey[]): RecordKey[] {
  return [...new Map(keys.map((key) => [recordKeyText(key), key])).values()];
}

/** Each table's whole mutation as one schema: the envelope with that table's fields in place of any object. */
const wholeMutation = (table: SyncedTable) => z.extend(mutationSchema, { table: z.literal(table), fields: TABLE_FIELDS[table] });
const WHOLE_MUTATION = Object.fromEntries(SYNCED_TABLES.map((table) => [table, wholeMutation(table)])) as Record<SyncedTable, ReturnType<typeof wholeMutation>>;

/** Checks one mutation on its own (shape, table, content rules, fields): its refusal, or where and what it writes. */
function checkMutation(
  device: Device,
  entry: { mutationId: number; [key: string]: unknown },
): { refused: QuarantinedMutation } | (Omit<AcceptedMutation, 'hlc'> & { sentHlc: string }) {
  const refuse = (reason: QuarantineReason, message: string) => ({
    refused: { mutationId: entry.mutationId, reason, message: escapeControlCharacters(message) },
  });
  // "__proto__" is plain data to JSON but a prototype to JavaScript objects: refuse it before anything copies the entry.
  const prototypeKey = prototypeKeyPath(entry);
  if (prototypeKey)
    return refuse(prototypeKey.startsWith('fields.') ? 'invalid_fields' : 'malformed_mutation', `${prototypeKey}: __proto__ is never a field or key name`);
  if (!isSyncedTable(entry.table)) {
    // Only a string is shown: String() of an object with a "toString" key would throw.
    return refuse(
      'unknown_table',
      typeof entry.table === 'string' ? `There is no synced table called "${entry.table.slice(0, 40)}".` : 'The table must be named by a string.',
    );
  }
  // A good mutation (nearly every one) is parsed once, envelope and fields together; a bad one is parsed again in
  // two steps below, which name what is wrong (the envelope, a content rule, or the fields) as before.
  const whole = WHOLE_MUTATION[entry.table].safeParse(entry);
  let envelope: { table: SyncedTable; id: string; hlc: string; fieldClocks?: Record<string, string> };
  let fields: Record<string, unknown>;
  if (whole.success) {
    envelope = whole.data;
    fields = whole.data.fields as Record<string, unknown>;
    const refusal = contentRefusal(envelope.table, envelope.id, entry.fields as Record<string, unknown>);
    if (refusal) return refuse(refusal.reason, refusal.message);
  } else {
    const parsed = mutationSchema.safeParse(entry);
    if (!parsed.success) return refuse('malformed_mutation', describeIssues(parsed.error));
    envelope = parsed.data;
    const refusal = contentRefusal(envelope.table, envelope.id, parsed.data.fields);
    if (refusal) return refuse(refusal.reason, refusal.message);
    const checked = TABLE_FIELDS[envelope.table].safeParse(entry.fields);
    if (!checked.success) return refuse('invalid_fields', describeIssues(checked.error));
    fields = checked.data as Record<string, unknown>;
  }
  const { table, id } = envelope;
  const earlier = envelope.fieldClocks;
  const stray = Object.keys(earlier ?? {}).find((name) => !Object.hasOwn(fields, name) || earlier![name]! > envelope.hlc);
  if (stray !== undefined)
    return refuse('malformed_mutation', `fieldClocks.${stray.slice(0, 40)}: a field clock must name a field of the change and not be after its clock`);
  // Tenancy: the organisation and site come from the device's enrolment, never from the mutation.
  const key = { orgId: device.orgId, siteId: TABLE_SCOPE[table] === 'site' ? device.siteId : '', table, id };
  return { mutationId: entry.mutationId, key, fields, sentHlc: envelope.hlc, ...(earlier ? { earlier } : {}) };
}

export interface MergedBatch {
  /** Each record the batch changed, once, with the number of the last of its changes in the batch (1, 2, …). */
  records: { record: Omit<StoredRecord, 'seq'>; change: number }[];
  /** How many mutations changed a record: the change numbers the batch uses, as if applied one by one. */
  changes: number;
  refusals: Map<number, QuarantinedMutation>;
}

/**
 * Applies accepted mutations in order to the stored records they touch, in memory: the same rule, field by field, as
 * applying them one at a time (a record touched twice sees its first change), and the same change numbers: each
 * mutation that changes something takes the next number, and a record keeps the number of its last change.
 */
export function mergeBatch(stored: ReadonlyMap<string, Omit<StoredRecord, 'seq'>>, mutations: readonly AcceptedMutation[]): MergedBatch {
  const current = new Map<string, Omit<StoredRecord, 'seq'>>(stored);
  const written = new Map<string, number>();
  const refusals = new Map<number, QuarantinedMutation>();
  let changes = 0;
  for (const mutation of mutations) {
    const text = recordKeyText(mutation.key);
    const existing = current.get(text);
    let next: Omit<StoredRecord, 'seq'> | undefined;
    if (INSERT_ONLY_TABLES.includes(mutation.key.table as SyncedTable)) {
      if (!existing) next = { ...mutation.key, ...stateOfMutation(mutation.fields, mutation.hlc), hlc: mutation.hlc };
      // The same feedback sent again (a retried outbox entry) is harmless; a different one under the same id is not.
      else if (!sameValue(existing.fields, mutation.fields)) {
        refusals.set(mutation.mutationId, {
          mutationId: mutation.mutationId,
          reason: 'feedback_is_insert_only',
          message: 'Feedback is never changed once given; this id already has different answers.',
        });
      }
    } else {
      if (!existing && !mutation.earlier) {
        // Most changes: a new record written at once, every field at the change's clock (built in one pass).
        next = newRecordAtOnce(mutation);
      } else if (!existing) {
        const incoming = stateOfMutation(mutation.fields, mutation.hlc);
        Object.assign(incoming.fieldClocks, mutation.earlier);
        // A new record is the mutation's own state (what merging it with itself gives, without comparing each field
        // with itself); a change without fields changes nothing.
        if (Object.keys(incoming.fieldClocks).length) next = { ...mutation.key, ...newRecordState(incoming), hlc: recordHlc(incoming) };
      } else {
        const incoming = stateOfMutation(mutation.fields, mutation.hlc);
        Object.assign(incoming.fieldClocks, mutation.earlier ?? {});
        const outcome = applyState(existing, incoming);
        if (outcome.changedFields.length) next = { ...mutation.key, ...outcome.state, hlc: recordHlc(outcome.state) };
      }
    }
    if (!next) continue;
    changes += 1;
    current.set(text, next);
    written.set(text, changes);
  }
  const records = [...written].map(([text, change]) => ({ record: current.get(text)!, change }));
  return { records, changes, refusals };
}

/**
 * A new record from a change without earlier clocks, as the general path makes it (stateOfMutation, newRecordState,
 * recordHlc): each field (undefined kept as null) at the change's clock; undefined for a change without fields.
 */
function newRecordAtOnce(mutation: AcceptedMutation): Omit<StoredRecord, 'seq'> | undefined {
  const fields: Record<string, unknown> = {};
  const fieldClocks: Record<string, string> = {};
  let any = false;
  for (const name of Object.keys(mutation.fields)) {
    // Never a field: stateOfMutation's clocks cannot hold it either (checkMutation refuses it long before).
    if (name === '__proto__') continue;
    fields[name] = mutation.fields[name] ?? null;
    fieldClocks[name] = mutation.hlc;
    any = true;
  }
  return any ? { ...mutation.key, fields, fieldClocks, hlc: mutation.hlc } : undefined;
}

/** A record's first state: as `applyState(undefined, state)` keeps it (a field sent as undefined is kept as null). */
function newRecordState(state: RecordState): RecordState {
  const fields: Record<string, unknown> = {};
  for (const name of Object.keys(state.fieldClocks)) fields[name] = state.fields[name] ?? null;
  return { fields, fieldClocks: state.fieldClocks };
}
