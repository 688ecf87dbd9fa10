// Tells the instructor that the server refused changes in the last sync, and why, in plain words (one line per reason).
import { useT } from '../i18n';
import type { QuarantineReason } from '../protocol';

export function RefusedChanges({ count, reasons }: { count: number; reasons: readonly (QuarantineReason | 'unknown')[] }) {
  const { t } = useT();
  if (count <= 0) return null;
  return (
    <div role="status" class="sync-refused">
      <p>{t('sync.quarantined', { count })}</p>
      {reasons.length > 0 && (
        <>
          <p>{t('sync.refusedBecause.intro')}</p>
          <ul>
            {reasons.map((reason) => (
              <li key={reason}>{t(`sync.refusedBecause.${reason}`)}</li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
