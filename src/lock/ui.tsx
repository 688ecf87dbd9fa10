// Small pieces the lock screens share: a labelled field, the nickname field, a message line, the PIN field with its
// number pad, a new PIN or passcode typed twice, and the submit of a profile form with its problems in words.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { useT } from '../i18n';
import { ChoiceGroup } from '../ui/ChoiceGroup';
import { type Submit, useSubmit } from '../ui/use-submit';
import { PASSCODE_MAX_LENGTH, type SecretKind } from './pin';
import { ProfileError } from './profiles';

/** A profile form's submit (useSubmit): a ProfileError shows as its problem in words, anything else as the general error. */
export function useProfileSubmit<Done = string>(options: { leaves?: boolean } = {}): Submit<Done, string> {
  const { t } = useT();
  return useSubmit<Done>({ ...options, describe: (problem) => (problem instanceof ProfileError ? t(`lock.problems.${problem.code}`) : t('app.error')) });
}

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

/** The instructor's nickname, as set-up and adding an instructor ask for it. */
export function NicknameField(props: { id: string; value: string; onInput: (value: string) => void }) {
  const { t } = useT();
  return (
    <Field id={props.id} label={t('lock.setup.nickname')} help={t('lock.setup.nicknameHelp')}>
      <input
        id={props.id}
        type="text"
        autoComplete="off"
        maxLength={40}
        aria-describedby={`${props.id}-help`}
        value={props.value}
        onInput={(event) => props.onInput(event.currentTarget.value)}
      />
    </Field>
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

/** A site admin's longer passcode: letters and digits in a text field, hidden until "Näytä" is tapped. */
export function PasscodeInput(props: { id: string; label: string; value: string; onInput: (value: string) => void; help?: string }) {
  const { t } = useT();
  const [shown, setShown] = useState(false);
  const field = {
    id: props.id,
    class: 'passcode-input',
    autoComplete: 'off',
    autoCapitalize: 'off' as const,
    spellcheck: false,
    maxLength: PASSCODE_MAX_LENGTH,
    'aria-describedby': props.help ? `${props.id}-help` : undefined,
    value: props.value,
    onInput: (event: Event) => props.onInput((event.currentTarget as HTMLInputElement).value),
  };
  return (
    <Field id={props.id} label={props.label} help={props.help}>
      <div class="passcode-row">
        {shown ? <input type="text" {...field} /> : <input type="password" {...field} />}
        <button type="button" class="button" aria-pressed={shown} aria-controls={props.id} onClick={() => setShown(!shown)}>
          {t('lock.passcode.show')}
        </button>
      </div>
    </Field>
  );
}

/** The PIN field or the passcode field, by what the profile is opened with. */
export function SecretInput(props: { kind: SecretKind; id: string; label: string; value: string; onInput: (value: string) => void; help?: string }) {
  return props.kind === 'passcode' ? <PasscodeInput {...props} /> : <PinInput {...props} />;
}

/** A new PIN or passcode and the same again, as a form holds them while they are typed. */
export function useSecretPair() {
  const [pin, setPin] = useState('');
  const [again, setAgain] = useState('');
  return { pin, setPin, again, setAgain, clear: () => (setPin(''), setAgain('')) };
}
export type SecretPair = ReturnType<typeof useSecretPair>;

/** The two fields of a new PIN or passcode: the passcode's rule under the first, the second to type it again. */
export function NewSecretFields(props: { kind?: SecretKind; id: string; againId: string; label: string; againLabel: string; pair: SecretPair }) {
  const { t } = useT();
  const kind = props.kind ?? 'pin';
  return (
    <>
      <SecretInput
        kind={kind}
        id={props.id}
        label={props.label}
        help={kind === 'passcode' ? t('lock.passcode.rule') : undefined}
        value={props.pair.pin}
        onInput={props.pair.setPin}
      />
      <SecretInput kind={kind} id={props.againId} label={props.againLabel} value={props.pair.again} onInput={props.pair.setAgain} />
    </>
  );
}

/** A site admin chooses a PIN or a longer passcode (at set-up and when changing their own). */
export function SecretKindChoice(props: { value: SecretKind; onChoose: (kind: SecretKind) => void }) {
  const { t } = useT();
  return (
    <ChoiceGroup
      legend={t('lock.passcode.choose')}
      value={props.value}
      choices={[
        { value: 'pin', label: t('lock.passcode.kindPin') },
        { value: 'passcode', label: t('lock.passcode.kindPasscode') },
      ]}
      onChoose={props.onChoose}
    />
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
