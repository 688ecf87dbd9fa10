// A row of big radio-style buttons: one tap chooses, the chosen one is marked in words for screen readers.
import type { ComponentChildren } from 'preact';

export interface Choice<V extends string> {
  value: V;
  label: ComponentChildren;
  lang?: string;
}

export function ChoiceGroup<V extends string>(props: { legend: string; choices: Choice<V>[]; value: V; onChoose: (value: V) => void }) {
  return (
    <fieldset class="choice-group">
      <legend>{props.legend}</legend>
      <div class="choice-row">
        {props.choices.map((choice) => (
          <label key={choice.value} class={`choice ${choice.value === props.value ? 'is-chosen' : ''}`} lang={choice.lang}>
            <input type="radio" name={props.legend} value={choice.value} checked={choice.value === props.value} onChange={() => props.onChoose(choice.value)} />
            <span>{choice.label}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
