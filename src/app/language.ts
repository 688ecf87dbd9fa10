// Owns choosing the app's language: saved on the tablet first, so a reload keeps the choice.
import { saveLanguage } from '../db/device-settings';
import { changeLanguage, type Language } from '../i18n';

export async function chooseLanguage(language: Language): Promise<void> {
  await saveLanguage(language); // saved before switching, so a reload keeps the choice
  await changeLanguage(language);
}
