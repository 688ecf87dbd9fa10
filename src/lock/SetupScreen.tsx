// First-run setup, shown for instructor addresses while the tablet has no profile: make the site admin. A backup is
// restored after that, by the admin (restore is site-admin only, and a backup brings no admin).
import { useState } from 'preact/hooks';
import { useT } from '../i18n';
import { createFirstProfile, ProfileError } from './profiles';
import { Field, Message, PinInput } from './ui';
import { enterInstructorMode } from './unlock';

export function SetupScreen() {
  const { t } = useT();
  const [nickname, setNickname] = useState('');
  const [pin, setPin] = useState('');
  const [pinAgain, setPinAgain] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const profile = await createFirstProfile(nickname, pin, pinAgain);
      await enterInstructorMode(profile.id);
    } catch (problem) {
      setError(problem instanceof ProfileError ? t(`lock.problems.${problem.problem}`) : t('app.error'));
      setBusy(false);
    }
  };

  return (
    <section class="screen lock-screen" aria-labelledby="setup-title">
      <h1 id="setup-title">{t('lock.setup.title')}</h1>
      <p>{t('lock.setup.intro')}</p>
      <form onSubmit={submit} noValidate>
        <Field id="setup-nickname" label={t('lock.setup.nickname')} help={t('lock.setup.nicknameHelp')}>
          <input id="setup-nickname" type="text" autoComplete="off" maxLength={40} aria-describedby="setup-nickname-help" value={nickname} onInput={(event) => setNickname(event.currentTarget.value)} />
        </Field>
        <PinInput id="setup-pin" label={t('lock.setup.pin')} value={pin} onInput={setPin} />
        <PinInput id="setup-pin-again" label={t('lock.setup.pinAgain')} value={pinAgain} onInput={setPinAgain} />
        <Message kind="error" text={error} />
        <button class="button primary" type="submit" disabled={busy}>
          {t('lock.setup.create')}
        </button>
      </form>
      <section class="card" aria-labelledby="setup-restore-title">
        <h2 id="setup-restore-title">{t('lock.setup.restoreTitle')}</h2>
        <p>{t('lock.setup.restoreLater')}</p>
      </section>
    </section>
  );
}
