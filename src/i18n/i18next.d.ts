// Types translation keys from the Finnish (fallback) locale, participant and instructor parts, so a missing key is a compile error.
import 'i18next';
import type fi from './locales/fi.json';
import type fiInstructor from './locales/instructor/fi.json';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof fi & typeof fiInstructor };
    returnNull: false;
  }
}
