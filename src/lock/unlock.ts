// Owns what happens around an unlock: open the area for the instructor, then tidy the tablet (retention).
import { applyRetention } from './retention';
import { dispatchMode, lockNow } from './mode';
import { loadLockSettings } from './settings';
import { navigate } from '../app/router';
import { forgetRecentGuides } from '../db/device-settings';

export async function enterInstructorMode(profileId: string): Promise<void> {
  dispatchMode({ type: 'unlock', profileId, at: Date.now() });
  const settings = await loadLockSettings();
  // Retention runs when an instructor is present, so removal never surprises anyone mid-session.
  await applyRetention(settings.retentionMonths).catch((error: unknown) => console.error('retention failed', error));
}

/** "Hand to participant": lock at once and show the participant home. */
export function handToParticipant(): void {
  lockNow();
  void forgetRecentGuides(); // the next person starts with an empty "Viimeksi avatut"
  navigate('/');
}
