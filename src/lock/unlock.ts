// Owns what happens around an unlock: open the area for the instructor, then protect the notes (encrypt what an
// older version left in clear, seal what waits to be sent) and tidy the tablet (retention).
import { applyRetention } from './retention';
import { dispatchMode, lockNow } from './mode';
import { loadLockSettings } from './settings';
import { navigate } from '../ui/router';
import { forgetRecentGuides } from '../db/device-settings';
import { db } from '../db/db';
import { readEnrolment } from '../db/sync';

export async function enterInstructorMode(profileId: string): Promise<void> {
  dispatchMode({ type: 'unlock', profileId, at: Date.now() });
  void protectNotesAtUnlock(); // never rejects: it logs its own failure and never holds up the unlock
  const settings = await loadLockSettings();
  // Retention runs when an instructor is present, so removal never surprises anyone mid-session.
  await applyRetention(settings.retentionMonths).catch((error: unknown) => console.error('retention failed', error));
}

/** "Hand to participant": lock at once and show the participant home. */
export function handToParticipant(): void {
  lockNow();
  // The next person starts with an empty "Viimeksi avatut".
  forgetRecentGuides().catch((error: unknown) => console.error('forgetting the recently opened guides failed', error));
  navigate('/');
}

/**
 * With the data key open: learn the organisation's note key if this tablet was enrolled before there was one, then
 * encrypt notes still in clear and seal those waiting to be sent (sessions/notes.ts). Never in the way of the unlock.
 */
async function protectNotesAtUnlock(): Promise<void> {
  try {
    const [{ fetchOrgNoteKey }, { protectStoredNotes }] = await Promise.all([import('../sync/engine'), import('../sessions/notes')]);
    if (await readEnrolment(db())) await fetchOrgNoteKey(db());
    await protectStoredNotes();
  } catch (error) {
    console.error('protecting notes failed', error);
  }
}
