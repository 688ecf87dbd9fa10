// Owns the Preact hook that re-renders a component whenever the IndexedDB data it reads changes.
import { liveQuery } from 'dexie';
import { useEffect, useState } from 'preact/hooks';

/** Dexie's observable query, for modules outside src/db that watch data without a component (e.g. the sync status). */
export { liveQuery };

/**
 * Subscribes to a Dexie live query; `undefined` until the first result arrives. A failed query is thrown while the
 * component renders, so the area's error boundary (src/ui/ErrorBoundary.tsx) shows it with a way to try again,
 * instead of "Loading" for ever.
 */
export function useLiveQuery<T>(query: () => Promise<T> | T, deps: readonly unknown[]): T | undefined {
  const [result, setResult] = useState<T | undefined>(undefined);
  const [failure, setFailure] = useState<{ error: unknown }>();
  useEffect(() => {
    const subscription = liveQuery(query).subscribe({
      next: (value) => setResult(() => value),
      error: (error: unknown) => setFailure({ error }),
    });
    return () => subscription.unsubscribe();
    // The caller's deps, as with useEffect: the query re-subscribes when they change, not on every new closure.
  }, deps);
  if (failure) throw failure.error;
  return result;
}
