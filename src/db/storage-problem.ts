// Owns what happens when the tablet's storage is full: the write is refused whole (its transaction aborts, so
// nothing is half-written), the error gets a name the screens understand, and the app shell shows what to do.
import { createObservable } from '../lib/observable';

export class StorageFullError extends Error {
  constructor() {
    super('The tablet storage is full: nothing was saved.');
    this.name = 'StorageFullError';
  }
}

/** True from a refused write until the instructor dismisses the notice (or a later write succeeds). */
export const storageFull = createObservable<boolean>(false);

export function isQuotaError(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current = error as { name?: string; inner?: unknown; cause?: unknown } | null | undefined;
  while (current && !seen.has(current)) {
    seen.add(current);
    if (current.name === 'QuotaExceededError' || current.name === 'StorageFullError') return true;
    current = (current.inner ?? current.cause) as typeof current; // Dexie wraps the browser's error
  }
  return false;
}

/** Runs a write; a full disk becomes StorageFullError and raises the notice. */
export async function guardWrite<T>(write: () => Promise<T>): Promise<T> {
  try {
    const result = await write();
    if (storageFull.get()) storageFull.set(false);
    return result;
  } catch (error) {
    if (isQuotaError(error)) {
      storageFull.set(true);
      throw new StorageFullError();
    }
    throw error;
  }
}
