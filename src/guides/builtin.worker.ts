// The built-in guides worker: reads this build's guide files and writes them into the tablet's database off the main
// thread, so a first start (and the start after a content update) never holds up the participant's taps. It answers
// once, with what it did or why it could not.
import { BUILD_CONTENT_VERSION, ensureBuiltinGuides } from './builtin-loader';
import { builtinRows } from './builtin-content';

export type BuiltinAnswer = { kind: 'done'; result: 'current' | 'loaded' } | { kind: 'failed'; message: string };

const scope = self as unknown as { onmessage: (() => void) | null; postMessage(answer: BuiltinAnswer): void };

scope.onmessage = () => {
  ensureBuiltinGuides(BUILD_CONTENT_VERSION, () => builtinRows()).then(
    (result) => scope.postMessage({ kind: 'done', result }),
    (error: unknown) => scope.postMessage({ kind: 'failed', message: error instanceof Error ? error.message : String(error) }),
  );
};
