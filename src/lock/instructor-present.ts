// Whether an instructor has unlocked the tablet, for the shell (the logo's address, participant-mode forgetting).
// It imports nothing of the lock, so the shell reads it without loading the lock's code; src/lock/mode keeps it up to date.
import { createObservable } from '../lib/observable';

export const instructorPresent = createObservable(false);
