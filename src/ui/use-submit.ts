// Owns the one way a form or a button runs slow work: busy while it runs (a second tap does nothing), the outcome
// afterwards as "done" or as an error in the screen's own words, and never an unhandled failure.
import { useRef, useState } from 'preact/hooks';

export interface Submit<Done, Problem> {
  /** True while the work runs (and after it, when the work ends by leaving the screen). */
  busy: boolean;
  /** What went wrong last time, as the screen words it; cleared when the work runs again. */
  error: Problem | undefined;
  /** What the last run gave back to show as done; cleared when the work runs again. */
  done: Done | undefined;
  /** Runs the work unless it is already running. Never rejects: a failure becomes `error`. */
  run(work: () => Promise<Done | void>): Promise<void>;
  /** Shows a problem found before any work starts (a field left empty), clearing the last outcome. */
  refuse(problem: Problem): void;
}

export interface SubmitOptions<Problem> {
  /** The screen's words for a failure (an error class's reason, or a general "something went wrong"). */
  describe: (failure: unknown) => Problem;
  /** The work ends by leaving the screen (a reload, another mode): stay busy after it succeeds, so nothing runs twice. */
  leaves?: boolean;
}

export function useSubmit<Done = string, Problem = string>({ describe, leaves = false }: SubmitOptions<Problem>): Submit<Done, Problem> {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Problem>();
  const [done, setDone] = useState<Done>();
  // A ref, not the state: two taps in one frame both see the state from before the first.
  const running = useRef(false);

  const run = async (work: () => Promise<Done | void>) => {
    if (running.current) return;
    running.current = true;
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    let succeeded = false;
    try {
      const outcome = await work();
      setDone(outcome === undefined ? undefined : (outcome as Done));
      succeeded = true;
    } catch (failure) {
      setError(describe(failure));
    }
    if (succeeded && leaves) return;
    running.current = false;
    setBusy(false);
  };
  const refuse = (problem: Problem) => {
    setDone(undefined);
    setError(problem);
  };
  return { busy, error, done, run, refuse };
}
