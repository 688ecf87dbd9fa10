// Owns the one confirmation box before a step that cannot be undone: the question, a red "yes" and a way back.
// Announced as an alert dialog named by its question, so a screen reader says what is being confirmed.
import type { ComponentChildren } from 'preact';

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
  return (
    <div class={className} role="alertdialog" aria-labelledby={id}>
      <p id={id}>{question}</p>
      <div class="button-row">
        <button type="button" class="button danger" onClick={() => void onYes()}>
          {yes}
        </button>
        <button type="button" class="button" onClick={onCancel}>
          {cancel}
        </button>
      </div>
    </div>
  );
}
