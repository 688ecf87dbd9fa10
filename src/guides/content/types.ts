// Types of the built-in guide content shipped with the app (authored once, loaded into the database by the loader).
import type { GuideCategory, Language, STEP_KINDS } from '../../protocol/lists';

export type { GuideCategory };
export type ContentLang = Language;
export type Localized = Record<ContentLang, string>;
export type StepKind = (typeof STEP_KINDS)[number];
export interface BuiltinStep {
  kind: StepKind;
  practice?: 'tap' | 'swipe'; // only with kind 'practice'
  image: string; // file name in src/guides/content/images/, e.g. 'suomifi-bank-1.svg'
  text: Localized;
  alt: Localized; // what the picture shows, for screen readers
}
export interface BuiltinGuide {
  slug: string; // stable, lowercase ascii with dashes, e.g. 'suomifi-pankkitunnukset'
  category: GuideCategory;
  title: Localized;
  summary: Localized; // one short sentence
  // Search words and synonyms people actually type, e.g. fi: ['pankki','tunnukset','pankkitunnukset','kirjautuminen','tunnistautuminen'].
  tags: Record<ContentLang, string[]>;
  steps: BuiltinStep[];
}
