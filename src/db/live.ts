// Owns the Preact hook that re-renders a component whenever the IndexedDB data it reads changes.
import { liveQuery } from 'dexie';
import { useEffect, useState } from 'preact/hooks';

/** Dexie's observable query, for modules outside src/db that watch data without a component (e.g. the sync status). */
export { liveQuery };

/** Subscribes to a Dexie live query; `undefined` until the first result arrives. */
export function useLiveQuery<T>(query: () => Promise<T> | T, deps: readonly unknown[]): T | undefined {
  const [result, setResult] = useState<T | undefined>(undefined);
  useEffect(() => {
    const subscription = liveQuery(query).subscribe({
      next: (value) => setResult(() => value),
      error: (error: unknown) => console.error('live query failed', error),
    });
    return () => subscription.unsubscribe();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return result;
}
