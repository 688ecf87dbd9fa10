// Owns the console's words: its own locale files (src/console/locales, fi first) plus, as data, the tablet's labels
// for the session vocabulary, report groups and feedback answers, so a topic reads the same on tablet and console.
import i18next, { type TFunction } from 'i18next';
import { useEffect, useState } from 'preact/hooks';
import { LANGUAGES } from '../protocol/lists';
import type fiWords from './locales/fi.json';

export const CONSOLE_LANGUAGES = LANGUAGES;
export type ConsoleLanguage = (typeof CONSOLE_LANGUAGES)[number];
const STORAGE_KEY = 'digituki-console-language';

export function isConsoleLanguage(value: unknown): value is ConsoleLanguage {
  return typeof value === 'string' && (CONSOLE_LANGUAGES as readonly string[]).includes(value);
}

type Words = Record<string, unknown>;

// Each language is three files; only the chosen one is downloaded.
const loaders: Record<ConsoleLanguage, () => Promise<[Words, Words, Words]>> = {
  fi: () => Promise.all([import('./locales/fi.json'), import('../i18n/locales/instructor/fi.json'), import('../i18n/locales/fi.json')]).then(defaults),
  sv: () => Promise.all([import('./locales/sv.json'), import('../i18n/locales/instructor/sv.json'), import('../i18n/locales/sv.json')]).then(defaults),
  en: () => Promise.all([import('./locales/en.json'), import('../i18n/locales/instructor/en.json'), import('../i18n/locales/en.json')]).then(defaults),
};

function defaults(modules: { default: unknown }[]): [Words, Words, Words] {
  return modules.map((module) => module.default as Words) as [Words, Words, Words];
}

/** One language's resource: the console's words under "console", the tablet's report and vocabulary labels beside them. */
export function consoleResource(own: Words, instructor: Words, participant: Words): Words {
  return { sessions: instructor.sessions, reports: instructor.reports, feedback: participant.feedback, console: own };
}

let ready: Promise<unknown> | undefined;

async function addLanguage(language: ConsoleLanguage): Promise<void> {
  if (i18next.hasResourceBundle(language, 'translation')) return;
  const [own, instructor, participant] = await loaders[language]();
  i18next.addResourceBundle(language, 'translation', consoleResource(own, instructor, participant), true, true);
}

/** The language the coordinator chose last on this browser, else the browser's own if we have it, else Finnish. */
export function preferredLanguage(stored: string | null, browser: readonly string[]): ConsoleLanguage {
  if (isConsoleLanguage(stored)) return stored;
  for (const tag of browser) {
    const base = tag.toLowerCase().split('-')[0];
    if (isConsoleLanguage(base)) return base;
  }
  return 'fi';
}

export async function initConsoleI18n(): Promise<void> {
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(STORAGE_KEY);
  } catch {
    stored = null; // storage blocked: the browser's language then
  }
  ready ??= i18next.init({ lng: 'fi', fallbackLng: 'fi', resources: {}, interpolation: { escapeValue: false }, returnNull: false });
  await ready;
  await addLanguage('fi'); // the fallback
  await setConsoleLanguage(preferredLanguage(stored, navigator.languages ?? []), false);
}

export async function setConsoleLanguage(language: ConsoleLanguage, remember = true): Promise<void> {
  await addLanguage(language);
  await i18next.changeLanguage(language);
  document.documentElement.lang = language;
  if (remember) {
    try {
      localStorage.setItem(STORAGE_KEY, language);
    } catch {
      // not remembered: the choice holds until the page is closed
    }
  }
}

export function consoleLanguage(): ConsoleLanguage {
  return isConsoleLanguage(i18next.language) ? i18next.language : 'fi';
}

/** Every dotted key of the console's Finnish file, so a missing word is a compile error. */
type KeysOf<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${K}` : KeysOf<T[K], `${Prefix}${K}.`>;
}[keyof T & string];
export type ConsoleKey = KeysOf<typeof fiWords>;
export type ConsoleT = (key: ConsoleKey, values?: Record<string, string | number>) => string;

/** The console's own words. */
export const ct: ConsoleT = (key, values) => (i18next.t as unknown as (key: string, values?: object) => string)(`console.${key}`, values);

/**
 * The translate functions: `t` for the console's words, `tablet` for the tablet's labels (src/reports/labels.ts);
 * the component re-renders on a language change.
 */
export function useConsoleT(): { t: ConsoleT; tablet: TFunction; language: ConsoleLanguage } {
  const [language, setLanguage] = useState(consoleLanguage);
  useEffect(() => {
    const onChange = () => setLanguage(consoleLanguage());
    i18next.on('languageChanged', onChange);
    return () => i18next.off('languageChanged', onChange);
  }, []);
  return { t: ct, tablet: i18next.t.bind(i18next), language };
}
