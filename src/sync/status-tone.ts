// Owns how loud a sync state is: being offline is normal in a shelter and is said calmly (grey); red is kept for
// problems that need the instructor or an admin to do something.
import type { SyncProblem } from './engine';

export type SyncTone = 'calm' | 'needs-someone';

/** Problems the tablet retries by itself are calm; the rest need a person. */
export function syncTone(problem: Pick<SyncProblem, 'code'>): SyncTone {
  return ['offline', 'rate-limited', 'server-error', 'bad-answer'].includes(problem.code) ? 'calm' : 'needs-someone';
}
