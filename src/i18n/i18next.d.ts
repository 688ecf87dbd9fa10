// Types translation keys from the Finnish (fallback) locale, so a missing key is a compile error.
import 'i18next';
import type fi from './locales/fi.json';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof fi };
    returnNull: false;
  }
}
