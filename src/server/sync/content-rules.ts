// Owns the rules a pushed change must pass beyond the shape of its fields: built-in guides are the app's, feedback
// answers only the questions the app asks, and a session note holds no personal data (the same check the tablet runs
// before saving a note) and is readable (a sealed note the server could not open is refused). Also keeps personal data
// out of what the server keeps of a refused change.
import { findPersonalData } from '../../lib/personal-data';
import {
  FEEDBACK_QUESTIONS,
  isSealed,
  LOCAL_NOTE_PREFIX,
  touchesBuiltinGuide,
  unknownFeedbackQuestions,
  type QuarantineReason,
  type SyncedTable,
} from '../../protocol';

export interface Refusal {
  reason: QuarantineReason;
  /** Plain words; names fields and kinds, never the sender's values. */
  message: string;
}

const PERSONAL_DATA_WORDS = { 'identity-code': 'a personal identity code', phone: 'a phone number', email: 'an e-mail address' } as const;

/** Why a change of `table` record `id` setting `fields` must never apply, or undefined when it passes these rules. */
export function contentRefusal(table: SyncedTable, id: string, fields: Readonly<Record<string, unknown>>): Refusal | undefined {
  if (touchesBuiltinGuide(table, id, fields)) {
    return { reason: 'builtin_guide_is_read_only', message: 'Built-in guides come with the app and cannot be changed. Make an own copy of the guide instead.' };
  }
  if (table === 'feedback' && Object.hasOwn(fields, 'answers')) {
    if (unknownFeedbackQuestions(fields.answers).length) {
      return {
        reason: 'unknown_feedback_question',
        message: `Feedback answers only the app's questions (${FEEDBACK_QUESTIONS.join(', ')}); this one has others.`,
      };
    }
  }
  if (table === 'sessions' && Object.hasOwn(fields, 'note') && typeof fields.note === 'string') {
    // Opened notes are clear by now (sealed-notes.ts): one still sealed, or a tablet's own local ciphertext, is not readable here.
    if (isSealed(fields.note) || fields.note.startsWith(LOCAL_NOTE_PREFIX)) {
      return {
        reason: 'sealed_note_unreadable',
        message: 'The note is sealed to a key this organisation does not have, or is damaged; this change was not stored.',
      };
    }
    const kinds = [...new Set(findPersonalData(fields.note).map((finding) => finding.kind))];
    if (kinds.length)
      return {
        reason: 'personal_data_in_note',
        message: `The note looks like it contains ${kinds.map((kind) => PERSONAL_DATA_WORDS[kind]).join(' and ')}; notes never hold personal data.`,
      };
  }
  return undefined;
}

/** A refused change as the server keeps it for the administrator: every text with what looks like personal data masked. */
export function redactedPayload(entry: unknown, maxChars: number): string {
  const text = JSON.stringify(entry, (_key, value: unknown) => {
    if (typeof value === 'string') return maskPersonalData(value);
    // Keys are the sender's text too.
    if (value && typeof value === 'object' && !Array.isArray(value))
      return Object.fromEntries(Object.entries(value).map(([key, inner]) => [maskPersonalData(key), inner]));
    return value;
  });
  return (text ?? '').slice(0, maxChars);
}

function maskPersonalData(text: string): string {
  const findings = findPersonalData(text);
  if (!findings.length) return text;
  let masked = '';
  let at = 0;
  for (const finding of findings) {
    masked += `${text.slice(at, finding.start)}[${finding.kind}]`;
    at = finding.end;
  }
  return masked + text.slice(at);
}
