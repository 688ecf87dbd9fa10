// Owns how a session-log slug is shown to people: the locale's label for a known value, the slug itself for a value
// a newer app version added (so nothing is hidden, and nothing breaks).
import type { TFunction } from 'i18next';
import { VOCABULARY } from './session-log';

export type VocabularyGroup = Exclude<keyof typeof VOCABULARY, 'roles'> | 'roles';

export function vocabularyLabel(t: TFunction, group: VocabularyGroup, value: string): string {
  const known = (VOCABULARY[group] as readonly string[]).includes(value);
  // Keys are typed from fi.json; these are built from the vocabulary, which the locale test keeps in step.
  return known ? (t as unknown as (key: string) => string)(`sessions.${group}.${value}`) : value;
}
