// The one line the instructor sees of reconciliation: only when the sync check put something right (README, "Reconciliation").
import { useT } from '../i18n';

export function RepairedRecords({ count }: { count: number }) {
  const { t } = useT();
  if (count <= 0) return null;
  return (
    <p role="status" data-testid="sync-repaired">
      {t('sync.repaired', { count })}
    </p>
  );
}
