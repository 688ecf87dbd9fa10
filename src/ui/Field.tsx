// Owns the labelled field of the tablet's forms: a label tied to its control by id, in the box the forms' styles set.
import type { ComponentChildren } from 'preact';

/** A label and its control (the children: the control's id is `id`), in a `field` box; `class` adds to the box's class. */
export function Field(props: { id: string; label: string; class?: string; children: ComponentChildren }) {
  return (
    <div class={props.class ? `field ${props.class}` : 'field'}>
      <label for={props.id}>{props.label}</label>
      {props.children}
    </div>
  );
}
