// One line of sync status for the instructor's front page, linking to the sync screen.
import { useEffect } from 'preact/hooks';
import { useStore } from '../app/use-store';
import { useT } from '../i18n';
import { startSync, syncStatus } from './runtime';

export default function SyncStatusLine() {
  const { t } = useT();
  const status = useStore(syncStatus);
  useEffect(() => {
    void startSync();
  }, []);
  const text = !status.enrolled
    ? t('sync.notEnrolledShort')
    : status.problem
      ? t(`sync.problems.${status.problem.kind}`)
      : status.pending > 0
        ? t('sync.pending', { count: status.pending })
        : t('sync.nothingPending');
  return (
    <p class="sync-line">
      <a class="button" href="/instructor/sync">
        {t('sync.linkTitle')}
      </a>{' '}
      <span data-testid="sync-line">{text}</span>
    </p>
  );
}
