// Small pieces the lock screens share: a labelled field, a message line, and the PIN field with its number pad.
import type { ComponentChildren } from 'preact';
import { useT } from '../i18n';

export function Field(props: { id: string; label: string; help?: string; children: ComponentChildren }) {
  return (
    <div class="lock-field">
      <label for={props.id}>{props.label}</label>
      {props.children}
      {props.help && (
        <p class="help" id={`${props.id}-help`}>
          {props.help}
        </p>
      )}
    </div>
  );
}

/** An error (role=alert, read at once) or a done message (role=status). Text only, whatever it holds. */
export function Message({ kind, text }: { kind: 'error' | 'done'; text: string | undefined }) {
  if (!text) return null;
  return (
    <p class={`lock-message is-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {text}
    </p>
  );
}

export function PinInput(props: { id: string; label: string; value: string; onInput: (value: string) => void }) {
  return (
    <Field id={props.id} label={props.label}>
      <input
        id={props.id}
        class="pin-input"
        type="password"
        inputMode="numeric"
        autoComplete="off"
        maxLength={12}
        value={props.value}
        onInput={(event) => props.onInput(event.currentTarget.value.replace(/\D/g, ''))}
      />
    </Field>
  );
}

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

/** Big number keys for the PIN: a finger-sized way to type it on a tablet with no keyboard open. */
export function PinPad(props: { value: string; onInput: (value: string) => void; disabled?: boolean }) {
  const { t } = useT();
  const press = (digit: string) => props.value.length < 12 && props.onInput(props.value + digit);
  return (
    <div class="pin-pad" role="group" aria-label={t('lock.pin.pad')}>
      {KEYS.map((digit) => (
        <button key={digit} type="button" class="button" disabled={props.disabled} onClick={() => press(digit)}>
          {digit}
        </button>
      ))}
      <span />
      <button type="button" class="button" disabled={props.disabled} onClick={() => press('0')}>
        0
      </button>
      <button type="button" class="button" aria-label={t('lock.pin.erase')} disabled={props.disabled} onClick={() => props.onInput(props.value.slice(0, -1))}>
        ⌫
      </button>
    </div>
  );
}
