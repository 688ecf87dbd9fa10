// First-run setup, shown for instructor addresses while the tablet has no profile: make the site admin. A backup is
// restored after that, by the admin (restore is site-admin only, and a backup brings no admin).
import { useState } from 'preact/hooks';
import { useT } from '../i18n';
import { PIN_ITERATIONS, type SecretKind } from './pin';
import { createFirstProfile } from './profiles';
import { Message, NewSecretFields, NicknameField, SecretKindChoice, useProfileSubmit, useSecretPair } from './ui';
import { enterInstructorMode } from './unlock';

export function SetupScreen() {
  const { t } = useT();
  const [nickname, setNickname] = useState('');
  const secret = useSecretPair();
  const [kind, setKind] = useState<SecretKind>('pin');
  // Once made, the instructor area opens: the form stays busy until it is gone.
  const creating = useProfileSubmit({ leaves: true });

  const submit = (event: Event) => {
    event.preventDefault();
    return creating.run(async () => {
      const profile = await createFirstProfile(nickname, secret.pin, secret.again, PIN_ITERATIONS, Date.now(), kind);
      await enterInstructorMode(profile.id);
    });
  };

  return (
    <section class="screen lock-screen" aria-labelledby="setup-title">
      <h1 id="setup-title">{t('lock.setup.title')}</h1>
      <p>{t('lock.setup.intro')}</p>
      <form onSubmit={submit} noValidate>
        <NicknameField id="setup-nickname" value={nickname} onInput={setNickname} />
        <SecretKindChoice value={kind} onChoose={(chosen) => (setKind(chosen), secret.clear())} />
        {kind === 'passcode' && <p>{t('lock.passcode.why')}</p>}
        <NewSecretFields
          kind={kind}
          id="setup-pin"
          label={t(kind === 'passcode' ? 'lock.passcode.label' : 'lock.setup.pin')}
          againId="setup-pin-again"
          againLabel={t(kind === 'passcode' ? 'lock.passcode.again' : 'lock.setup.pinAgain')}
          pair={secret}
        />
        <Message kind="error" text={creating.error} />
        <button class="button primary" type="submit" disabled={creating.busy}>
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
