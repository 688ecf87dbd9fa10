// Owns per-field last-writer-wins merge: the one rule by which tablets and the server agree on a record's state.
//
// A record's state is its field values plus the HLC of the last write to each field. Merging two states keeps,
// field by field, the value with the later clock. The rule is commutative, associative and idempotent, so every
// replica that has seen the same changes holds the same record, whatever order the changes arrived in.
import { compareHlc, maxHlc } from './hlc';

export interface RecordState {
  fields: Record<string, unknown>;
  /** Field name → HLC of the write that set it. Every field in `fields` has a clock here. */
  fieldClocks: Record<string, string>;
}

/** The state a single mutation describes: each of its fields written at the mutation's clock. */
export function stateOfMutation(fields: Record<string, unknown>, hlc: string): RecordState {
  const fieldClocks: Record<string, string> = {};
  for (const name of Object.keys(fields)) fieldClocks[name] = hlc;
  return { fields: { ...fields }, fieldClocks };
}

/** Merges two states of the same record, field by field, later clock wins. */
export function mergeRecords(a: RecordState, b: RecordState): RecordState {
  const fields: Record<string, unknown> = {};
  const fieldClocks: Record<string, string> = {};
  for (const name of new Set([...Object.keys(a.fieldClocks), ...Object.keys(b.fieldClocks)])) {
    const winner = pickField(a, b, name);
    fields[name] = winner.fields[name] ?? null;
    fieldClocks[name] = winner.fieldClocks[name]!;
  }
  return { fields, fieldClocks };
}

/**
 * Merges a record pulled from the server into the local copy. Fields with an unsent local change (and fields the
 * server does not have) go by the clock, as in mergeRecords; every other field takes the server's value and clock,
 * which may be a clamped one: the server's copy is the agreed one.
 */
export function mergePulled(local: RecordState | undefined, pulled: RecordState, unsent: ReadonlySet<string>): RecordState {
  if (!local) return mergeRecords(pulled, pulled);
  const mine: RecordState = { fields: {}, fieldClocks: {} };
  for (const name of Object.keys(local.fieldClocks)) {
    if (unsent.has(name) || !hasField(pulled, name)) {
      mine.fields[name] = local.fields[name] ?? null;
      mine.fieldClocks[name] = local.fieldClocks[name]!;
    }
  }
  return mergeRecords(pulled, mine);
}

export interface MergeOutcome {
  state: RecordState;
  /** Fields whose value or clock changed: empty when the incoming state taught nothing new. */
  changedFields: string[];
}

/** Merges `incoming` into `current` (undefined: the record is new) and says which fields changed. */
export function applyState(current: RecordState | undefined, incoming: RecordState): MergeOutcome {
  if (!current) return { state: mergeRecords(incoming, incoming), changedFields: Object.keys(incoming.fieldClocks).sort() };
  const state = mergeRecords(current, incoming);
  const changedFields = Object.keys(state.fieldClocks)
    .filter((name) => state.fieldClocks[name] !== current.fieldClocks[name] || !sameValue(state.fields[name], current.fields[name]))
    .sort();
  return { state, changedFields };
}

/** The clock of a record as a whole: its latest field clock ("" for a record with no fields). */
export function recordHlc(state: RecordState): string {
  return Object.values(state.fieldClocks).reduce((latest, clock) => maxHlc(latest, clock), '');
}

function hasField(state: RecordState, name: string): boolean {
  return Object.hasOwn(state.fieldClocks, name);
}

function pickField(a: RecordState, b: RecordState, name: string): RecordState {
  if (!hasField(b, name)) return a;
  if (!hasField(a, name)) return b;
  const order = compareHlc(a.fieldClocks[name]!, b.fieldClocks[name]!);
  if (order !== 0) return order > 0 ? a : b;
  // Equal clocks should carry equal values; if they do not, the larger encoding wins on every replica alike.
  return canonicalJson(a.fields[name] ?? null) >= canonicalJson(b.fields[name] ?? null) ? a : b;
}

export function sameValue(a: unknown, b: unknown): boolean {
  return canonicalJson(a ?? null) === canonicalJson(b ?? null);
}

/**
 * JSON with object keys sorted, so equal values have equal text whatever order their keys were written in. Built by
 * appending to one string (no per-key arrays): the server digests every pushed change with it.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    let text = '[';
    for (let index = 0; index < value.length; index += 1) {
      if (index) text += ',';
      // A hole (or a value JSON has no text for, such as a function) stays empty, as map and join leave it.
      const item: string | undefined = index in value ? canonicalJson(value[index] ?? null) : undefined;
      if (item !== undefined) text += item;
    }
    return `${text}]`;
  }
  if (value && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    let text = '{';
    for (const key of keys) {
      const item = (value as Record<string, unknown>)[key];
      if (item === undefined) continue;
      if (text.length > 1) text += ',';
      text += `${quotedKey(key)}:${canonicalJson(item)}`;
    }
    return `${text}}`;
  }
  return JSON.stringify(value ?? null);
}

// Field names repeat in every record: each is quoted once (a bounded cache, so odd keys cannot grow it without end).
const QUOTED_KEYS = new Map<string, string>();
const QUOTED_KEYS_KEPT = 1000;

function quotedKey(key: string): string {
  let quoted = QUOTED_KEYS.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key);
    if (QUOTED_KEYS.size < QUOTED_KEYS_KEPT) QUOTED_KEYS.set(key, quoted);
  }
  return quoted;
}
