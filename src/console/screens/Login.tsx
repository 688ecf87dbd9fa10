// Owns logging in: email and password, or a passkey (WebAuthn through @simplewebauthn/browser, discoverable
// credentials so no email is needed).
import { browserSupportsWebAuthn, startAuthentication } from '@simplewebauthn/browser';
import { useState } from 'preact/hooks';
import { api } from '../api';
import { useConsoleT } from '../i18n';
import type { Me } from '../types';
import { ErrorNotice, PageTitle } from '../ui';

export function LoginScreen(props: { onSignedIn: (me: Me) => void }) {
  const { t } = useConsoleT();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [passkeyProblem, setPasskeyProblem] = useState(false);

  const withPassword = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      props.onSignedIn(await api.post<Me>('/login', { email: email.trim(), password }));
    } catch (caught) {
      setError(caught);
      setBusy(false);
    }
  };

  const withPasskey = async () => {
    setBusy(true);
    setError(undefined);
    setPasskeyProblem(false);
    try {
      const { challengeId, options } = await api.post<{ challengeId: string; options: Parameters<typeof startAuthentication>[0]['optionsJSON'] }>(
        '/passkeys/login/options',
        {},
      );
      let response;
      try {
        response = await startAuthentication({ optionsJSON: options });
      } catch {
        setPasskeyProblem(true); // cancelled, or no passkey for this site on this device
        setBusy(false);
        return;
      }
      props.onSignedIn(await api.post<Me>('/passkeys/login/verify', { challengeId, response }));
    } catch (caught) {
      setError(caught);
      setBusy(false);
    }
  };

  return (
    <section class="narrow">
      <PageTitle>{t('login.title')}</PageTitle>
      <p>{t('login.intro')}</p>
      <form class="form" onSubmit={(event) => void withPassword(event)}>
        <label for="login-email">{t('login.email')}</label>
        <input id="login-email" type="email" autocomplete="username" required value={email} onInput={(event) => setEmail(event.currentTarget.value)} />
        <label for="login-password">{t('login.password')}</label>
        <input
          id="login-password"
          type="password"
          autocomplete="current-password"
          required
          value={password}
          onInput={(event) => setPassword(event.currentTarget.value)}
        />
        <button type="submit" class="button primary" disabled={busy}>
          {t('login.submit')}
        </button>
      </form>
      {browserSupportsWebAuthn() ? (
        <div class="passkey-login">
          <p>{t('login.passkeyIntro')}</p>
          <button type="button" class="button" disabled={busy} onClick={() => void withPasskey()}>
            {t('login.passkey')}
          </button>
        </div>
      ) : null}
      {passkeyProblem ? (
        <div class="notice error" role="alert">
          <p>{t('login.passkeyCancelled')}</p>
        </div>
      ) : null}
      <ErrorNotice error={error} />
      <p class="hint">{t('login.noAccount')}</p>
    </section>
  );
}
