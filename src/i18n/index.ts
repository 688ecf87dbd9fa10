// Owns the UI language: i18next setup, lazy loading of sv/en, <html lang>, and the hook components use.
import i18next, { type TFunction } from 'i18next';
import { useEffect, useState } from 'preact/hooks';
import { LANGUAGES, type Language } from '../protocol/lists';
import fi from './locales/fi.json';

export { LANGUAGES, type Language };

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

// Finnish is bundled as the fallback; the others load on demand (and are precached by the service worker).
const loaders: Record<Exclude<Language, 'fi'>, () => Promise<{ default: typeof fi }>> = {
  sv: () => import('./locales/sv.json'),
  en: () => import('./locales/en.json'),
};

// Instructor-only strings (logs, reports, lock, sync, editor) load with the instructor area, never on the participant home.
const instructorLoaders: Record<Language, () => Promise<{ default: Record<string, unknown> }>> = {
  fi: () => import('./locales/instructor/fi.json'),
  sv: () => import('./locales/instructor/sv.json'),
  en: () => import('./locales/instructor/en.json'),
};
const instructorLoaded = new Set<Language>();
let instructorWanted = false;

async function addInstructorStrings(language: Language): Promise<void> {
  if (instructorLoaded.has(language)) return;
  const bundle = await instructorLoaders[language]();
  i18next.addResourceBundle(language, 'translation', bundle.default, true, false);
  instructorLoaded.add(language);
}

/** Loads the instructor area's strings for the current language (and for every language chosen later). */
export async function loadInstructorStrings(): Promise<void> {
  instructorWanted = true;
  await Promise.all([addInstructorStrings('fi'), addInstructorStrings(currentLanguage())]); // Finnish is the fallback
}

let ready: Promise<unknown> | undefined;

export async function initI18n(language: Language): Promise<void> {
  ready ??= i18next.init({
    lng: 'fi',
    fallbackLng: 'fi',
    resources: { fi: { translation: structuredClone(fi) } }, // a copy: adding the instructor part must not change the imported module
    interpolation: { escapeValue: false }, // Preact escapes text; double escaping would show &amp; to people.
    returnNull: false,
  });
  await ready;
  await changeLanguage(language);
}

export async function changeLanguage(language: Language): Promise<void> {
  if (language !== 'fi' && !i18next.hasResourceBundle(language, 'translation')) {
    const bundle = await loaders[language]();
    i18next.addResourceBundle(language, 'translation', bundle.default, true, false);
  }
  if (instructorWanted) await addInstructorStrings(language);
  await i18next.changeLanguage(language);
  if (typeof document !== 'undefined') document.documentElement.lang = language;
}

export function currentLanguage(): Language {
  return isLanguage(i18next.language) ? i18next.language : 'fi';
}

/** The translate function; the component re-renders when the language changes. */
export function useT(): { t: TFunction; language: Language } {
  const [language, setLanguage] = useState(currentLanguage);
  useEffect(() => {
    const onChange = () => setLanguage(currentLanguage());
    i18next.on('languageChanged', onChange);
    return () => i18next.off('languageChanged', onChange);
  }, []);
  return { t: i18next.t.bind(i18next), language };
}
