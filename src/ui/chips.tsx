// Owns the big one-handed inputs of the log form and the report: single-choice chips, multi-choice chips and +/− steppers.
// Native radios and checkboxes under the chips, so screen readers and keyboards work without extra ARIA.
import type { ComponentChildren } from 'preact';

export interface ChipOption {
  value: string;
  label: string;
}

/** One choice from a few: a tap on a chip picks it. */
export function ChipChoice(props: {
  name: string;
  legend: string;
  options: ChipOption[];
  value: string | null | undefined;
  onChoose: (value: string) => void;
}) {
  return (
    <fieldset class="chip-group">
      <legend>{props.legend}</legend>
      <div class="chip-row">
        {props.options.map((option) => (
          <label key={option.value} class={`chip ${option.value === props.value ? 'is-chosen' : ''}`}>
            <input type="radio" name={props.name} value={option.value} checked={option.value === props.value} onChange={() => props.onChoose(option.value)} />
            <span>{option.label}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** Several choices: a tap on a chip adds or removes it. */
export function ChipToggles(props: {
  name: string;
  legend: string;
  options: ChipOption[];
  values: readonly string[];
  onToggle: (value: string) => void;
  empty?: ComponentChildren;
}) {
  return (
    <fieldset class="chip-group">
      <legend>{props.legend}</legend>
      {props.options.length === 0 && props.empty}
      <div class="chip-row">
        {props.options.map((option) => {
          const chosen = props.values.includes(option.value);
          return (
            <label key={option.value} class={`chip ${chosen ? 'is-chosen' : ''}`}>
              <input type="checkbox" name={props.name} value={option.value} checked={chosen} onChange={() => props.onToggle(option.value)} />
              <span>{option.label}</span>
            </label>
          );
        })}
      </div>
    </fieldset>
  );
}

/** A count with big − and + buttons; the number is read out when it changes. */
export function Stepper(props: { label: string; value: number; addLabel: string; removeLabel: string; valueLabel: string; onStep: (delta: number) => void }) {
  return (
    <div class="stepper" role="group" aria-label={props.label}>
      <span class="stepper-label" aria-hidden="true">
        {props.label}
      </span>
      <button type="button" class="button stepper-button" aria-label={props.removeLabel} disabled={props.value === 0} onClick={() => props.onStep(-1)}>
        −
      </button>
      <output class="stepper-value" aria-live="polite" aria-label={props.valueLabel}>
        {props.value}
      </output>
      <button type="button" class="button stepper-button" aria-label={props.addLabel} onClick={() => props.onStep(1)}>
        +
      </button>
    </div>
  );
}
