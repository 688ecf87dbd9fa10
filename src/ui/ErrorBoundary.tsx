// Owns what an area shows when one of its screens fails (a bug, a failed database query, code that did not load): a
// plain-words screen, announced at once, with a way to try again and a way back to the area's start, instead of a
// blank page or "Loading" for ever. Each area (participant, instructor, console) wraps its screens in one.
import type { ComponentChildren } from 'preact';
import { useEffect, useErrorBoundary, useRef } from 'preact/hooks';

export interface ErrorWords {
  title: string;
  text: string;
  retry: string;
  back: string;
}

interface Props {
  words: ErrorWords;
  /** The area's start, e.g. '/' or '/instructor'. */
  backHref: string;
  /** Follows the back link where the area has its own router (the console); otherwise the link is followed as is. */
  onBack?: (event: MouseEvent) => void;
  /** The address: a new one leaves the failed screen, so the area shows the new screen again. */
  resetKey: string;
  children: ComponentChildren;
}

export function ErrorBoundary({ words, backHref, onBack, resetKey, children }: Props) {
  const [error, reset] = useErrorBoundary((caught: unknown) => console.error('screen failed', caught));
  const failedAt = useRef(resetKey);
  if (error === undefined) failedAt.current = resetKey;
  useEffect(() => {
    if (error !== undefined && failedAt.current !== resetKey) reset();
  }, [resetKey, error]);
  if (error === undefined) return <>{children}</>;
  return (
    <ErrorScreen
      words={words}
      backHref={backHref}
      onRetry={reset}
      onBack={(event) => {
        reset();
        onBack?.(event);
      }}
    />
  );
}

function ErrorScreen({ words, backHref, onRetry, onBack }: { words: ErrorWords; backHref: string; onRetry: () => void; onBack: (event: MouseEvent) => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  // The focus moves to the heading, so a screen reader says what happened and the next tab reaches the way out.
  useEffect(() => heading.current?.focus(), []);
  return (
    <section class="screen error-screen" aria-labelledby="error-screen-title">
      <h1 id="error-screen-title" ref={heading} tabIndex={-1}>
        {words.title}
      </h1>
      <p role="alert">{words.text}</p>
      <div class="button-row">
        <button type="button" class="button primary" onClick={onRetry}>
          {words.retry}
        </button>
        <a class="button" href={backHref} onClick={onBack}>
          {words.back}
        </a>
      </div>
    </section>
  );
}
