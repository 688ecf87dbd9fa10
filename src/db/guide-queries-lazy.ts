// Owns the participant home's live guide queries, which load the database code (Dexie and the guide queries) only when
// they first run: the home's first frame then needs none of it (about half of the start JavaScript).
import { useEffect, useState } from 'preact/hooks';

type GuideQueries = typeof import('./guides');

/** A Dexie live query over the guide queries; `undefined` until the database code has loaded and the first result is in. */
export function useGuideQuery<T>(query: (guides: GuideQueries) => Promise<T>, deps: readonly unknown[]): T | undefined {
  const [result, setResult] = useState<T | undefined>(undefined);
  useEffect(() => {
    let stopped = false;
    let unsubscribe = () => {};
    void Promise.all([import('dexie'), import('./guides')]).then(([{ liveQuery }, guides]) => {
      if (stopped) return;
      const subscription = liveQuery(() => query(guides)).subscribe({
        next: (value) => setResult(() => value),
        error: (error: unknown) => console.error('live query failed', error),
      });
      unsubscribe = () => subscription.unsubscribe();
    });
    return () => {
      stopped = true;
      unsubscribe();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return result;
}
