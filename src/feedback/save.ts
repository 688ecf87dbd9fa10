// Owns storing one participant's finished form: only what answers.ts lets through, stored once under a new id and
// queued for sync with it (src/db/changes.ts); a form with nothing answered stores nothing.
import { addFeedback } from '../db/changes';
import type { Language } from '../protocol/lists';
import { timeOrderedId } from '../protocol/record-id';
import { answersToStore, type FeedbackDraft } from './answers';

/** Stores the form's answers, tied to the session it was opened from (if any). */
export async function saveFeedback(draft: FeedbackDraft, sessionId: string | null, lang: Language): Promise<void> {
  const answers = answersToStore(draft);
  if (Object.keys(answers).length === 0) return; // nothing answered is nothing to store; the thank-you is the same
  const now = Date.now();
  await addFeedback(timeOrderedId(now), { sessionId, createdAt: now, lang, answers });
}
