// Owns the rules of the session log form as one pure function over events with explicit times (like nextMode in
// lock/mode.ts): what the form shows, which fields each change writes, when the typed note is due after the typing
// pause, and what "Valmis" may do. The screen (SessionLogScreen.tsx) feeds it taps, typing, its one timer and the
// writes' outcomes, and carries out the write each step asks for; it holds no rule of its own.
import { findPersonalData } from '../lib/personal-data';
import { missingForFinal, stepHeadCount, toggleChip, type HeadCount, type LogFields, type MissingForFinal, type Role } from './session-log';

/** The typing pause after which a typed note is written. */
export const NOTE_SAVE_DELAY_MS = 400;

export type ListField = 'topics' | 'devicesUsed' | 'referredTo' | 'barriers' | 'guidesUsed';

export interface LogForm {
  /** 'loading' until the stored log, or a new log's prefilled fields, are in; 'missing' for a log that is not there. */
  phase: 'loading' | 'missing' | 'ready';
  /** The fields as shown, each tap in at once, so two quick taps never both start from the same old value. */
  log: LogFields | undefined;
  /** The note as typed; `log.note` is the note last handed to a write. */
  note: string;
  /** When the typed note is due to be written (the end of the typing pause), or null when no typed note waits. */
  noteDueAt: number | null;
  /** The database has the log (it was opened from there, or its first write was asked for): writes carry only their changes. */
  stored: boolean;
  /** A write failed: until a write of every field has succeeded, each write carries every field and the form says so. */
  failed: boolean;
  /** A write has reached the database since the form opened (or the log was opened from there). */
  saved: boolean;
  /** "Valmis" was refused: what is still missing stays shown until it is there. */
  refused: boolean;
  confirmingDelete: boolean;
}

export type LogFormEvent =
  | { type: 'opened'; log: LogFields } // a new log's prefilled fields; ignored if the form already has fields
  | { type: 'loaded'; log: LogFields } // the stored log
  | { type: 'notFound' }
  | { type: 'change'; fields: Partial<LogFields> }
  | { type: 'toggle'; field: ListField; value: string }
  | { type: 'step'; role: Role; which: keyof HeadCount; delta: number }
  | { type: 'type'; text: string; at: number }
  | { type: 'tick'; at: number } // the screen's timer, at noteDueAt
  | { type: 'saveNote' } // the note field lost the focus
  | { type: 'leave' } // the app was hidden or the screen left: a typed note that waits is written now
  | { type: 'written'; write: LogWrite }
  | { type: 'notWritten'; write: LogWrite }
  | { type: 'finalise' }
  | { type: 'askDelete' }
  | { type: 'cancelDelete' }
  | { type: 'delete' }; // the log goes: a typed note that waits is dropped, not written

/** Fields to hand to saveLogFields; `first` when the log is not in the database yet (the address then becomes its own). */
export interface LogWrite {
  fields: Partial<LogFields>;
  first: boolean;
  /** Carries every field: once it has succeeded, nothing shown is missing from the database. */
  all: boolean;
}

/** What "Valmis" found: the note needs fixing, fields are missing, or the log may be marked final (after `write`). */
export type FinaliseVerdict = 'noteHasPersonalData' | 'missing' | 'final';

export interface LogFormStep {
  form: LogForm;
  write?: LogWrite;
  verdict?: FinaliseVerdict;
  /** With verdict 'missing': what is missing, the first of it to scroll to. */
  lacking?: MissingForFinal[];
}

export function openLogForm(existing: boolean): LogForm {
  return {
    phase: 'loading',
    log: undefined,
    note: '',
    noteDueAt: null,
    stored: existing,
    failed: false,
    saved: false,
    refused: false,
    confirmingDelete: false,
  };
}

/** Whether a typed note may be written: a note that looks like personal data stays on the screen only. */
export function noteMayBeSaved(note: string): boolean {
  return findPersonalData(note).length === 0;
}

function change(form: LogForm, fields: Partial<LogFields>): LogFormStep {
  if (!form.log) return { form };
  const log = { ...form.log, ...fields };
  const all = !form.stored || form.failed;
  return { form: { ...form, log, stored: true }, write: { fields: all ? log : fields, first: !form.stored, all } };
}

/** The typed note now, unless it may not be saved or is already the note last written. */
function saveNote(form: LogForm): LogFormStep {
  const settled = { ...form, noteDueAt: null };
  if (!form.log || !noteMayBeSaved(form.note) || form.note === form.log.note) return { form: settled };
  return change(settled, { note: form.note });
}

export function nextLogForm(form: LogForm, event: LogFormEvent): LogFormStep {
  switch (event.type) {
    case 'opened':
      return { form: form.log ? form : { ...form, phase: 'ready', log: event.log } };
    case 'loaded':
      return { form: { ...form, phase: 'ready', log: event.log, note: event.log.note, saved: true } };
    case 'notFound':
      return { form: { ...form, phase: 'missing' } };
    case 'change':
      return change(form, event.fields);
    case 'toggle':
      return form.log ? change(form, { [event.field]: toggleChip(form.log[event.field], event.value) }) : { form };
    case 'step':
      return form.log ? change(form, { participants: stepHeadCount(form.log.participants, event.role, event.which, event.delta) }) : { form };
    case 'type':
      return { form: { ...form, note: event.text, noteDueAt: event.at + NOTE_SAVE_DELAY_MS } };
    case 'tick':
      return form.noteDueAt !== null && event.at >= form.noteDueAt ? saveNote(form) : { form };
    case 'saveNote':
      return saveNote(form);
    case 'leave':
      return form.noteDueAt !== null ? saveNote(form) : { form };
    case 'written':
      // A write of only some fields does not mend an earlier failure: what that write lacked is still missing.
      if ((form.failed && !event.write.all) || (form.saved && !form.failed)) return { form }; // still "not saved", or nothing new
      return { form: { ...form, saved: true, failed: false } };
    case 'notWritten':
      // A failed first write leaves no log behind: the next write creates it (and gives the form its address).
      return { form: { ...form, saved: false, failed: true, stored: form.stored && !event.write.first } };
    case 'finalise': {
      if (!form.log) return { form };
      if (!noteMayBeSaved(form.note)) return { form, verdict: 'noteHasPersonalData' };
      const lacking = missingForFinal(form.log);
      if (lacking.length > 0) return { form: { ...form, refused: true }, verdict: 'missing', lacking };
      const step = saveNote(form);
      // Nothing else to write, but the log is not in the database yet (or a write failed): write all of it first.
      if (!step.write && (!step.form.stored || step.form.failed)) return { ...change(step.form, {}), verdict: 'final' };
      return { ...step, verdict: 'final' };
    }
    case 'askDelete':
      return { form: { ...form, confirmingDelete: true } };
    case 'cancelDelete':
      return { form: { ...form, confirmingDelete: false } };
    case 'delete':
      return { form: { ...form, noteDueAt: null } };
  }
}
