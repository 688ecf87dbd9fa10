// The tablet's storage use and the app's version and build: for the instructor's tablet settings, not for participants.
import { useEffect, useState } from 'preact/hooks';
import { readStorageReport, type StorageReport } from '../db/storage';
import { useT } from '../i18n';
import { byteUnit } from '../lib/bytes';
import { useFailed } from '../ui/use-failed';

export function DeviceInfo() {
  const { t, language } = useT();
  const [storage, setStorage] = useState<StorageReport | undefined>();
  const failed = useFailed();
  useEffect(() => {
    readStorageReport().then(setStorage, failed);
  }, []);
  const amount = (bytes: number) => {
    const { unit, value } = byteUnit(bytes);
    return t(`units.${unit}`, { value: value.toLocaleString(language) });
  };
  return (
    <>
      <section class="card" aria-labelledby="storage-title">
        <h2 id="storage-title">{t('settings.storage')}</h2>
        {storage?.usedBytes !== undefined && storage.quotaBytes !== undefined ? (
          <p data-testid="storage-used">{t('settings.storageUsed', { used: amount(storage.usedBytes), quota: amount(storage.quotaBytes) })}</p>
        ) : (
          <p>{t('settings.storageUnknown')}</p>
        )}
        {storage?.persisted !== undefined && <p>{storage.persisted ? t('settings.persisted') : t('settings.notPersisted')}</p>}
      </section>
      <section class="card" aria-labelledby="about-title">
        <h2 id="about-title">{t('settings.about')}</h2>
        <p data-testid="app-version">{t('app.version', { version: __APP_VERSION__, build: __BUILD_ID__ })}</p>
      </section>
    </>
  );
}
