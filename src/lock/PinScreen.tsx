// The PIN screen shown for any instructor address while the tablet is in participant mode. It shows nicknames
// and a PIN pad only: no instructor screen or data is loaded until a PIN is right.
import { useState } from 'preact/hooks';
import type { ProfileRecord } from '../db/records';
import { useT } from '../i18n';
import { useSubmit } from '../ui/use-submit';
import { ChoiceGroup } from '../ui/ChoiceGroup';
import { unlockWithPin, type UnlockResult } from './profiles';
import { Message, PasscodeInput, PinInput, PinPad } from './ui';
import { enterInstructorMode } from './unlock';

export function waitText(t: ReturnType<typeof useT>['t'], waitMs: number): string {
  const seconds = Math.ceil(waitMs / 1000);
  return seconds <= 90 ? t('lock.pin.waitSeconds', { seconds }) : t('lock.pin.waitMinutes', { minutes: Math.ceil(seconds / 60) });
}

/** A PIN that did not open the profile, with how long to wait before the next try. */
class NotOpened extends Error {
  constructor(readonly result: Extract<UnlockResult, { ok: false }>) {
    super('The PIN did not open the profile.');
  }
}

export function PinScreen({ profiles }: { profiles: ProfileRecord[] }) {
  const { t } = useT();
  const [profileId, setProfileId] = useState(profiles.length === 1 ? profiles[0]!.id : '');
  const [pin, setPin] = useState('');
  // A site admin's longer passcode is typed in a text field and tried on "Avaa"; no number keys.
  const passcode = profiles.find((profile) => profile.id === profileId)?.passcode === true;
  const unlocking = useSubmit({
    describe: (failure) =>
      !(failure instanceof NotOpened)
        ? t('app.error')
        : failure.result.reason === 'wait' || failure.result.waitMs > 0
          ? waitText(t, failure.result.waitMs)
          : t(passcode ? 'lock.passcode.wrong' : 'lock.pin.wrong'),
  });
  const { busy, error } = unlocking;

  const tryPin = (typed: string) => {
    if (!profileId || typed === '') return;
    return unlocking.run(async () => {
      const result = await unlockWithPin(profileId, typed);
      setPin('');
      if (!result.ok) throw new NotOpened(result);
      await enterInstructorMode(result.profile.id);
    });
  };
  const submit = (event: Event) => {
    event.preventDefault();
    void tryPin(pin); // never rejects: useSubmit's run shows a failure as the form's error
  };
  // The PIN is tried as soon as it has as many digits as the chosen profile's PIN: no extra "Avaa" tap.
  const type = (typed: string) => {
    setPin(typed);
    const digits = profiles.find((profile) => profile.id === profileId)?.pinDigits;
    if (digits !== undefined && typed.length === digits) void tryPin(typed); // never rejects (useSubmit)
  };

  return (
    <section class="screen lock-screen" aria-labelledby="pin-title">
      <h1 id="pin-title">{t(passcode ? 'lock.passcode.title' : 'lock.pin.title')}</h1>
      <p>{t(passcode ? 'lock.passcode.intro' : 'lock.pin.intro')}</p>
      <form onSubmit={submit} noValidate>
        {profiles.length > 1 && (
          <ChoiceGroup
            legend={t('lock.pin.who')}
            value={profileId}
            choices={profiles.map((p) => ({ value: p.id, label: p.nickname }))}
            onChoose={(id) => (setProfileId(id), setPin(''))}
          />
        )}
        {profiles.length === 1 && <p class="profile-name">{profiles[0]!.nickname}</p>}
        <Message kind="error" text={error} />
        {passcode ? (
          <PasscodeInput id="pin" label={t('lock.passcode.label')} value={pin} onInput={setPin} />
        ) : (
          <>
            <PinInput id="pin" label={t('lock.pin.label')} value={pin} onInput={type} />
            <PinPad value={pin} onInput={type} disabled={busy} />
          </>
        )}
        <div class="button-row">
          <button class="button primary" type="submit" disabled={busy || !profileId || pin === ''}>
            {busy ? t('lock.pin.checking') : t('lock.pin.unlock')}
          </button>
          <a class="button" href="/">
            {t('lock.pin.backToGuides')}
          </a>
        </div>
      </form>
    </section>
  );
}
