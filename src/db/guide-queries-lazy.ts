// Owns the participant home's live guide queries, which load the database code (Dexie and the guide queries) only when
// they first run: the home's first frame then needs none of it (about half of the start JavaScript).
import { useEffect, useState } from 'preact/hooks';

type GuideQueries = typeof import('./guides');

/**
 * A Dexie live query over the guide queries; `undefined` until the database code has loaded and the first result is
 * in. Code that did not load, or a failed query, is thrown while rendering, for the area's error boundary to show.
 */
export function useGuideQuery<T>(query: (guides: GuideQueries) => Promise<T>, deps: readonly unknown[]): T | undefined {
  const [result, setResult] = useState<T | undefined>(undefined);
  const [failure, setFailure] = useState<{ error: unknown }>();
  useEffect(() => {
    let stopped = false;
    let unsubscribe = () => {};
    const fail = (error: unknown) => {
      if (!stopped) setFailure({ error });
    };
    Promise.all([import('dexie'), import('./guides')]).then(([{ liveQuery }, guides]) => {
      if (stopped) return;
      const subscription = liveQuery(() => query(guides)).subscribe({
        next: (value) => setResult(() => value),
        error: fail,
      });
      unsubscribe = () => subscription.unsubscribe();
    }, fail);
    return () => {
      stopped = true;
      unsubscribe();
    };
    // The caller's deps, as with useEffect: the query re-subscribes when they change, not on every new closure.
  }, deps);
  if (failure) throw failure.error;
  return result;
}
