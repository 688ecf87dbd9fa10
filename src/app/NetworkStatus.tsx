// Shows whether the tablet is online, in words and an icon (colour alone never carries the meaning).
import { useT } from '../i18n';
import { online } from './network';
import { useObservable } from '../ui/use-observable';
import { Icon } from '../ui/Icon';

export function NetworkStatus() {
  const { t } = useT();
  const isOnline = useObservable(online);
  return (
    <p class={`network-status ${isOnline ? 'is-online' : 'is-offline'}`} role="status" title={isOnline ? undefined : t('network.offlineHelp')}>
      <Icon name={isOnline ? 'online' : 'offline'} />
      <span>{isOnline ? t('network.online') : t('network.offline')}</span>
    </p>
  );
}
