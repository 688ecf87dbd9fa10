// Settings a participant may change (language, text size). Storage and version are in the instructor's tablet settings.
import { TEXT_SIZES, type TextSize } from '../db/device-settings';
import { chooseLanguage } from './language';
import { LANGUAGES, useT } from '../i18n';
import { ChoiceGroup } from '../ui/ChoiceGroup';
import { chooseTextSize, textSize } from './text-size';
import { useObservable } from '../ui/use-observable';
import { useFailed } from '../ui/use-failed';

export { chooseLanguage } from './language';

export default function SettingsScreen() {
  const { t, language } = useT();
  const size = useObservable(textSize);
  const failed = useFailed();
  return (
    <section class="screen settings" aria-labelledby="settings-title">
      <h1 id="settings-title">{t('settings.title')}</h1>
      <ChoiceGroup
        legend={t('settings.language')}
        value={language}
        choices={LANGUAGES.map((lang) => ({ value: lang, label: t(`languages.${lang}`), lang }))}
        onChoose={(lang) => chooseLanguage(lang).catch(failed)}
      />
      <ChoiceGroup<TextSize>
        legend={t('settings.textSize')}
        value={size}
        choices={TEXT_SIZES.map((value) => ({ value, label: t(`settings.textSizes.${value}`) }))}
        onChoose={(value) => chooseTextSize(value).catch(failed)}
      />
    </section>
  );
}
