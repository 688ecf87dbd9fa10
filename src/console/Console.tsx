// Owns the console's shell: who is logged in (GET /me), the set-up link, the header with the screens a role may open,
// the language switch and logging out; each screen is its own module under screens/.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, setCsrfToken } from './api';
import { CONSOLE_LANGUAGES, setConsoleLanguage, useConsoleT, type ConsoleKey } from './i18n';
import { navigate, routePath, setupTokenFrom, useRoute, type Route, type Screen } from './router';
import { AccountScreen } from './screens/Account';
import { AuditScreen } from './screens/Audit';
import { DashboardScreen } from './screens/Dashboard';
import { GuideScreen, GuidesScreen } from './screens/Guides';
import { LoginScreen } from './screens/Login';
import { SettingsScreen } from './screens/Settings';
import { SetupScreen } from './screens/Setup';
import { SitesScreen } from './screens/Sites';
import { SummaryScreen } from './screens/Summary';
import { TabletsScreen } from './screens/Tablets';
import { UsersScreen } from './screens/Users';
import type { Me, User } from './types';
import { ErrorNotice, Loading } from './ui';
import { ErrorBoundary } from '../ui/ErrorBoundary';

const NAV: { screen: Screen; label: ConsoleKey; coordinatorOnly?: boolean }[] = [
  { screen: 'dashboard', label: 'nav.dashboard' },
  { screen: 'summary', label: 'nav.summary' },
  { screen: 'sites', label: 'nav.sites' },
  { screen: 'tablets', label: 'nav.tablets' },
  { screen: 'guides', label: 'nav.guides' },
  { screen: 'users', label: 'nav.users', coordinatorOnly: true },
  { screen: 'settings', label: 'nav.settings' },
  { screen: 'audit', label: 'nav.audit', coordinatorOnly: true },
];

/** The screens a role may open: a site admin has no users or audit log. */
export function screensFor(role: User['role']): Screen[] {
  return NAV.filter((item) => role === 'coordinator' || !item.coordinatorOnly).map((item) => item.screen);
}

type Session = { state: 'checking' } | { state: 'signed-out' } | { state: 'signed-in'; me: Me } | { state: 'failed'; error: unknown };

export function Console() {
  const { t } = useConsoleT();
  const [session, setSession] = useState<Session>({ state: 'checking' });
  const [setupToken, setSetupToken] = useState(() => setupTokenFrom(location.hash));
  const route = useRoute();

  const signedIn = (me: Me) => {
    setCsrfToken(me.csrfToken);
    setSession({ state: 'signed-in', me });
  };

  useEffect(() => {
    api.get<Me>('/me').then(signedIn, (error: unknown) => {
      if (error instanceof ApiError && error.status === 401) setSession({ state: 'signed-out' });
      else setSession({ state: 'failed', error });
    });
    const signedOut = () => setSession({ state: 'signed-out' });
    // A set-up link opened in a tab that already shows the console changes only the fragment.
    const linkOpened = () => setSetupToken(setupTokenFrom(location.hash));
    window.addEventListener('console-signed-out', signedOut);
    window.addEventListener('hashchange', linkOpened);
    return () => {
      window.removeEventListener('console-signed-out', signedOut);
      window.removeEventListener('hashchange', linkOpened);
    };
  }, []);

  const finishSetup = (me: Me) => {
    history.replaceState(null, '', routePath({ screen: 'dashboard' })); // the used token leaves the address bar
    setSetupToken('');
    signedIn(me);
  };

  let body;
  if (setupToken) body = <SetupScreen token={setupToken} onDone={finishSetup} />;
  else if (session.state === 'checking') body = <Loading />;
  else if (session.state === 'failed') body = <ErrorNotice error={session.error} />;
  else if (session.state === 'signed-out') body = <LoginScreen onSignedIn={signedIn} />;
  else body = <SignedIn me={session.me} onSignedOut={() => setSession({ state: 'signed-out' })} />;

  return (
    <div class="console">
      <a class="skip-link" href="#main">
        {t('common.skipToContent')}
      </a>
      <header class="console-header">
        <p class="brand">{t('brand')}</p>
        <LanguageSwitch />
        {session.state === 'signed-in' && !setupToken ? (
          <SignOut email={session.me.user.email} onSignedOut={() => setSession({ state: 'signed-out' })} />
        ) : null}
      </header>
      {session.state === 'signed-in' && !setupToken ? <Nav role={session.me.user.role} /> : null}
      <main id="main" tabIndex={-1}>
        <ErrorBoundary
          words={{ title: t('errorScreen.title'), text: t('errorScreen.text'), retry: t('errorScreen.retry'), back: t('errorScreen.home') }}
          backHref={routePath({ screen: 'dashboard' })}
          onBack={(event) => {
            event.preventDefault();
            navigate({ screen: 'dashboard' });
          }}
          resetKey={routePath(route)}
        >
          {body}
        </ErrorBoundary>
      </main>
    </div>
  );
}

function LanguageSwitch() {
  const { t, language } = useConsoleT();
  return (
    <div class="language-switch" role="group" aria-label={t('language.label')}>
      {CONSOLE_LANGUAGES.map((code) => (
        <button key={code} type="button" class="button ghost" lang={code} aria-pressed={code === language} onClick={() => void setConsoleLanguage(code)}>
          {t(`language.${code}`)}
        </button>
      ))}
    </div>
  );
}

function SignOut(props: { email: string; onSignedOut: () => void }) {
  const { t } = useConsoleT();
  const [error, setError] = useState<unknown>();
  const logout = async () => {
    try {
      await api.post('/logout');
      props.onSignedOut();
    } catch (caught) {
      setError(caught);
    }
  };
  return (
    <div class="account">
      <span class="who">{props.email}</span>
      <button type="button" class="button" onClick={() => void logout()}>
        {t('account.logout')}
      </button>
      <ErrorNotice error={error} />
    </div>
  );
}

function Nav(props: { role: User['role'] }) {
  const { t } = useConsoleT();
  const route = useRoute();
  const allowed = screensFor(props.role);
  return (
    <nav class="console-nav" aria-label={t('nav.label')}>
      <ul>
        {NAV.filter((item) => allowed.includes(item.screen)).map((item) => (
          <li key={item.screen}>
            <a
              href={routePath({ screen: item.screen })}
              aria-current={route.screen === item.screen ? 'page' : undefined}
              onClick={(event) => {
                if (event.ctrlKey || event.metaKey || event.shiftKey) return;
                event.preventDefault();
                navigate({ screen: item.screen });
              }}
            >
              {t(item.label)}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function SignedIn(props: { me: Me; onSignedOut: () => void }) {
  const route = useRoute();
  const { user } = props.me;
  const screen: Route['screen'] = screensFor(user.role).includes(route.screen) ? route.screen : 'dashboard';
  switch (screen) {
    case 'summary':
      return <SummaryScreen user={user} />;
    case 'sites':
      return <SitesScreen user={user} />;
    case 'tablets':
      return <TabletsScreen user={user} />;
    case 'guides':
      return route.id ? <GuideScreen user={user} id={route.id} /> : <GuidesScreen user={user} />;
    case 'users':
      return <UsersScreen />;
    case 'settings':
      return (
        <>
          <SettingsScreen user={user} />
          <AccountScreen me={props.me} onSignedOut={props.onSignedOut} />
        </>
      );
    case 'audit':
      return <AuditScreen />;
    default:
      return <DashboardScreen user={user} />;
  }
}
