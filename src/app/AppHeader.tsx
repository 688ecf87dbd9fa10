// The top bar on every screen: home, network state, settings.
import { useT } from '../i18n';
import { instructorPresent } from '../lock/instructor-present';
import { useObservable } from '../ui/use-observable';
import { Icon } from '../ui/Icon';
import { NetworkStatus } from './NetworkStatus';

export function AppHeader() {
  const { t } = useT();
  // While unlocked the logo leads to the instructor home: leaving for the participant side is "Anna tabletti osallistujalle".
  const unlocked = useObservable(instructorPresent);
  return (
    <header class="app-header">
      <a class="brand" href={unlocked ? '/instructor' : '/'}>
        <Icon name="home" size={28} />
        <span>{t('app.name')}</span>
      </a>
      <NetworkStatus />
      <nav aria-label={t('nav.mainMenu')} class="header-nav">
        <a class="button ghost" href="/settings">
          <Icon name="settings" />
          <span>{t('nav.settings')}</span>
        </a>
      </nav>
    </header>
  );
}
