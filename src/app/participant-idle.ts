// Owns forgetting on the shared tablet in participant mode: after some idle minutes the guides the last person
// opened are forgotten, so "Viimeksi avatut" never shows the next person someone else's guides.
import { forgetRecentGuides } from '../db/device-settings';
import { instructorPresent } from '../lock/instructor-present';

export const PARTICIPANT_IDLE_MS = 10 * 60_000;
const CHECK_EVERY_MS = 30_000;

/** True when the tablet has been left alone long enough, in participant mode, to forget the last person's guides. */
export function shouldForget(lastActivityAt: number, now: number, participantMode: boolean): boolean {
  return participantMode && now - lastActivityAt >= PARTICIPANT_IDLE_MS;
}

export function startParticipantIdle(): void {
  let lastActivityAt = Date.now();
  const touched = () => {
    lastActivityAt = Date.now();
  };
  for (const event of ['pointerdown', 'keydown', 'scroll'] as const) window.addEventListener(event, touched, { passive: true, capture: true });
  setInterval(() => {
    if (!shouldForget(lastActivityAt, Date.now(), !instructorPresent.get())) return;
    lastActivityAt = Date.now();
    forgetRecentGuides().catch((error: unknown) => console.error('forgetting the recently opened guides failed', error));
  }, CHECK_EVERY_MS);
}
