// One line of sync status for the instructor's front page, linking to the sync screen.
import { useEffect } from 'preact/hooks';
import { useFailed } from '../ui/use-failed';
import { useObservable } from '../ui/use-observable';
import { useT } from '../i18n';
import { startSync, syncStatus } from './runtime';
import { syncTone } from './status-tone';
import './sync.css';

export default function SyncStatusLine() {
  const { t } = useT();
  const status = useObservable(syncStatus);
  const failed = useFailed();
  useEffect(() => {
    // A failed read of the enrolment is the area's error screen, not a status line that never changes.
    startSync().catch(failed);
  }, [failed]);
  const offline = status.problem?.code === 'offline';
  const text = !status.enrolled
    ? t('sync.notEnrolledShort')
    : offline
      ? status.pending > 0
        ? t('sync.waitingForNetwork', { count: status.pending })
        : t('sync.waitingForNetworkNothing')
      : status.problem
        ? t(`sync.problems.${status.problem.code}`)
        : status.pending > 0
          ? t('sync.pending', { count: status.pending })
          : t('sync.nothingPending');
  const tone = status.enrolled && status.problem ? syncTone(status.problem) : 'calm';
  return (
    <p class="sync-line">
      <a class="button" href="/instructor/sync">
        {t('sync.linkTitle')}
      </a>{' '}
      <span data-testid="sync-line" class={tone === 'calm' ? 'sync-calm' : 'form-error'}>
        {text}
      </span>
    </p>
  );
}
