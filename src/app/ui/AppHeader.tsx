// The top bar on every screen: home, network state, settings.
import { useT } from '../../i18n';
import { Icon } from './Icon';
import { NetworkStatus } from './NetworkStatus';

export function AppHeader() {
  const { t } = useT();
  return (
    <header class="app-header">
      <a class="brand" href="/">
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
