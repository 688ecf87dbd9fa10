// Settings a participant may change (language, text size) and the tablet's storage and version.
import { useEffect, useState } from 'preact/hooks';
import { TEXT_SIZES, type TextSize } from '../db/device-settings';
import { chooseLanguage } from './language';
import { readStorageReport, type StorageReport } from '../db/storage';
import { LANGUAGES, useT } from '../i18n';
import { byteUnit } from '../lib/bytes';
import { ChoiceGroup } from './ChoiceGroup';
import { chooseTextSize, textSize } from './text-size';
import { useStore } from './use-store';

export { chooseLanguage } from './language';

export default function SettingsScreen() {
  const { t, language } = useT();
  const size = useStore(textSize);
  const [storage, setStorage] = useState<StorageReport | undefined>();
  useEffect(() => {
    void readStorageReport().then(setStorage);
  }, []);
  const amount = (bytes: number) => {
    const { unit, value } = byteUnit(bytes);
    return t(`units.${unit}`, { value: value.toLocaleString(language) });
  };
  return (
    <section class="screen settings" aria-labelledby="settings-title">
      <h1 id="settings-title">{t('settings.title')}</h1>
      <ChoiceGroup
        legend={t('settings.language')}
        value={language}
        choices={LANGUAGES.map((lang) => ({ value: lang, label: t(`languages.${lang}`), lang }))}
        onChoose={(lang) => void chooseLanguage(lang)}
      />
      <ChoiceGroup<TextSize>
        legend={t('settings.textSize')}
        value={size}
        choices={TEXT_SIZES.map((value) => ({ value, label: t(`settings.textSizes.${value}`) }))}
        onChoose={(value) => void chooseTextSize(value)}
      />
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
    </section>
  );
}
