// Owns the logged-in account's own section: add a passkey to this device, and log out everywhere.
import { browserSupportsWebAuthn, startRegistration } from '@simplewebauthn/browser';
import { useState } from 'preact/hooks';
import { api } from '../api';
import { useConsoleT } from '../i18n';
import type { Me } from '../types';
import { ErrorNotice, Notice, useLoad } from '../ui';

export function AccountScreen(props: { me: Me; onSignedOut: () => void }) {
  const { t } = useConsoleT();
  // Login answers carry no passkey count: ask GET /me for this account's own numbers.
  const current = useLoad(() => api.get<Me>('/me'), []);
  const [added, setAddedCount] = useState<number>();
  const passkeys = added ?? current.data?.passkeys ?? props.me.passkeys ?? 0;
  const [done, setDone] = useState(false);
  const [cancelled, setCancelled] = useState(false);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const addPasskey = async () => {
    setBusy(true);
    setError(undefined);
    setDone(false);
    setCancelled(false);
    try {
      const { challengeId, options } = await api.post<{ challengeId: string; options: Parameters<typeof startRegistration>[0]['optionsJSON'] }>(
        '/passkeys/register/options',
      );
      let response;
      try {
        response = await startRegistration({ optionsJSON: options });
      } catch {
        setCancelled(true);
        return;
      }
      const result = await api.post<{ passkeys: number }>('/passkeys/register/verify', { challengeId, response });
      setAddedCount(result.passkeys);
      setDone(true);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const everywhere = async () => {
    setError(undefined);
    try {
      await api.post('/logout-everywhere');
      props.onSignedOut();
    } catch (caught) {
      setError(caught);
    }
  };

  return (
    <section class="panel" aria-labelledby="account-title">
      <h2 id="account-title">{t('account.title')}</h2>
      <p>{t('account.signedInAs', { email: props.me.user.email })}</p>
      <p>{t('account.passkeys', { count: passkeys })}</p>
      {browserSupportsWebAuthn() ? (
        <button type="button" class="button" disabled={busy} onClick={() => void addPasskey()}>
          {t('account.addPasskey')}
        </button>
      ) : (
        <p>{t('account.noPasskeySupport')}</p>
      )}
      {done ? <Notice>{t('account.passkeyAdded')}</Notice> : null}
      {cancelled ? (
        <div class="notice error" role="alert">
          <p>{t('account.passkeyCancelled')}</p>
        </div>
      ) : null}
      <h3>{t('account.everywhereTitle')}</h3>
      <p>{t('account.everywhereHelp')}</p>
      <button type="button" class="button danger" onClick={() => void everywhere()}>
        {t('account.logoutEverywhere')}
      </button>
      <ErrorNotice error={error} />
    </section>
  );
}
