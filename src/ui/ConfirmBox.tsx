// Owns the one confirmation box before a step that cannot be undone: the question, a red "yes" and a way back.
// Announced as an alert dialog named by its question, so a screen reader says what is being confirmed. A "yes" whose
// work fails hands the failure to the area's error screen (useFailed), so it never goes unseen.
import type { ComponentChildren } from 'preact';
import { useFailed } from './use-failed';

export function ConfirmBox({
  id,
  question,
  yes,
  cancel,
  onYes,
  onCancel,
  class: className = 'card confirm',
}: {
  /** The question's element id, which names the box. */
  id: string;
  question: ComponentChildren;
  yes: string;
  cancel: string;
  onYes: () => unknown;
  onCancel: () => void;
  class?: string;
}) {
  const failed = useFailed();
  return (
    <div class={className} role="alertdialog" aria-labelledby={id}>
      <p id={id}>{question}</p>
      <div class="button-row">
        <button type="button" class="button danger" onClick={() => (async () => onYes())().catch(failed)}>
          {yes}
        </button>
        <button type="button" class="button" onClick={onCancel}>
          {cancel}
        </button>
      </div>
    </div>
  );
}
