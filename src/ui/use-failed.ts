// Owns the hand-over of a failed one-off load (a promise a screen starts, e.g. its settings or a picture) to the area's
// error boundary (src/ui/ErrorBoundary.tsx), so a failed read shows the plain-words error screen instead of a screen
// that waits for ever.
import { useCallback, useState } from 'preact/hooks';

/** A rejection handler for a screen's own promises: the failure is thrown while the screen renders next. */
export function useFailed(): (error: unknown) => void {
  const [failure, setFailure] = useState<{ error: unknown }>();
  const failed = useCallback((error: unknown) => setFailure({ error }), []);
  if (failure) throw failure.error;
  return failed;
}
