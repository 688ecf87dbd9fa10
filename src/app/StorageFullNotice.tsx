// Shown on every screen when a write was refused because the tablet's storage is full: what happened, what to do.
import { storageFull } from '../db/storage-problem';
import { useT } from '../i18n';
import { useObservable } from '../ui/use-observable';

export function StorageFullNotice() {
  const { t } = useT();
  const full = useObservable(storageFull);
  if (!full) return null;
  return (
    <section class="storage-full" role="alert" aria-labelledby="storage-full-title">
      <h2 id="storage-full-title">{t('storage.fullTitle')}</h2>
      <p>{t('storage.fullText')}</p>
      <button type="button" class="button" onClick={() => storageFull.set(false)}>
        {t('storage.dismiss')}
      </button>
    </section>
  );
}
