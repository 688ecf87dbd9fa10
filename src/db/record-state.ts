// Owns the bridge between a stored synced row and its merge state (field values + field clocks), so every path that
// merges rows on the tablet — pull, backup restore, reconciliation — uses the one merge rule of src/protocol/merge.ts.
import { canonicalJson, compareHlc, mergeRecords, recordHlc, type RecordState } from '../protocol';

export type StoredRow = Record<string, unknown> & { id: string; hlc?: string; fieldClocks?: Record<string, string> };

/** The clocked fields of a row: only fields with a clock take part in merging. */
export function stateOfRow(row: StoredRow): RecordState {
  const fieldClocks = row.fieldClocks ?? {};
  const fields: Record<string, unknown> = {};
  for (const name of Object.keys(fieldClocks)) fields[name] = row[name] ?? null;
  return { fields, fieldClocks: { ...fieldClocks } };
}

/** `base` with the merged state written over it: the values and clocks of its fields and the record clock. */
export function rowWithState<T extends StoredRow>(base: T, state: RecordState): T {
  return { ...base, ...state.fields, hlc: recordHlc(state), fieldClocks: { ...state.fieldClocks } };
}

/**
 * Merges two copies of one row field by field (later clock wins per field). Fields without a clock (bookkeeping
 * such as the organisation stamp) come from the copy with the later record clock, the local one on a tie.
 * `changed` is false when the result is the local row as it is.
 */
export function mergeRows<T extends StoredRow>(local: T | undefined, incoming: T): { row: T; changed: boolean } {
  if (!local) return { row: rowWithState(incoming, mergeRecords(stateOfRow(incoming), stateOfRow(incoming))), changed: true };
  const newerIncoming = compareHlc(incoming.hlc ?? '', local.hlc ?? '') > 0;
  const base = (newerIncoming ? { ...local, ...incoming } : { ...incoming, ...local }) as T;
  const row = rowWithState(base, mergeRecords(stateOfRow(local), stateOfRow(incoming)));
  return { row, changed: canonicalJson(row) !== canonicalJson(local) };
}
