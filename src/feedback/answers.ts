// Owns what a participant's feedback is: the four questions, their picture choices (declared once, in
// src/protocol/feedback.ts, from the guide topics), and the rules that keep the answers anonymous and inside
// the sync protocol (a mood 1–5, or chips as slugs; the one optional word as a slug).
// No zod here: this runs in the participant bundle; the tests check every answer against the protocol's schema.
import { FEEDBACK_CHIPS, type FeedbackChip, NOT_A_TOPIC, SOMETHING_ELSE } from '../protocol/feedback';
import { GUIDE_CATEGORIES } from '../protocol/lists';

export { NOT_A_TOPIC, SOMETHING_ELSE };
export const MOODS = [1, 2, 3, 4, 5] as const;
export type Mood = (typeof MOODS)[number];

/** The picture topics are the participant home's topics, so people see the same pictures everywhere. */
export const PICTURE_TOPICS = GUIDE_CATEGORIES;
export const CHIPS = FEEDBACK_CHIPS;
export type Chip = FeedbackChip;

export const CHIP_QUESTIONS = ['got', 'next', 'learn'] as const;
export type ChipQuestion = (typeof CHIP_QUESTIONS)[number];
export const QUESTIONS = ['mood', ...CHIP_QUESTIONS] as const;
export type Question = (typeof QUESTIONS)[number];

export interface FeedbackDraft {
  mood?: Mood;
  got: Chip[];
  next: Chip[];
  learn: Chip[];
  learnWord: string; // as typed; only a valid word, made into a slug, is ever stored
}

export const emptyDraft = (): FeedbackDraft => ({ got: [], next: [], learn: [], learnWord: '' });

/** A tap on a chip: adds or removes it; "nothing yet" and "don't know" stand alone. */
export function toggleChoice(chosen: readonly Chip[], chip: Chip): Chip[] {
  if (chosen.includes(chip)) return chosen.filter((item) => item !== chip);
  const alone = (NOT_A_TOPIC as readonly string[]).includes(chip);
  return alone ? [chip] : [...chosen.filter((item) => !(NOT_A_TOPIC as readonly string[]).includes(item)), chip];
}

export const WORD_MAX_LENGTH = 20;

/** The "something else" word: empty is fine (every answer is optional); otherwise one word of letters, at most 20. */
export function isValidWord(word: string): boolean {
  const trimmed = word.trim();
  return trimmed === '' || new RegExp(`^\\p{L}{1,${WORD_MAX_LENGTH}}$`, 'u').test(trimmed);
}

const SPELLED_OUT: Record<string, string> = { ä: 'a', ö: 'o', å: 'a', æ: 'ae', ø: 'o', ß: 'ss', œ: 'oe', ł: 'l', đ: 'd', þ: 'th' };

/**
 * The word as the protocol can carry it: lower-case a–z (kirjasto → kirjasto, Sähköposti → sahkoposti).
 * Undefined for an empty or invalid word, or one in a script that has no a–z spelling: that word stays off the answers.
 */
export function wordAsSlug(word: string): string | undefined {
  const trimmed = word.trim();
  if (trimmed === '' || !isValidWord(trimmed)) return undefined;
  const spelled = [...trimmed.toLocaleLowerCase('fi')].map((letter) => SPELLED_OUT[letter] ?? letter).join('');
  const plain = spelled.normalize('NFD').replace(/\p{M}/gu, '');
  return /^[a-z]{1,40}$/.test(plain) ? plain : undefined; // a slug of the protocol: letters a–z only
}

export type FeedbackAnswers = Partial<Record<Question | 'learnWord', number | string | string[]>>;

/** The answers to store: only what was answered, nothing typed except a valid one-word topic. */
export function answersToStore(draft: FeedbackDraft): FeedbackAnswers {
  const answers: FeedbackAnswers = {};
  if (draft.mood !== undefined) answers.mood = draft.mood;
  for (const question of CHIP_QUESTIONS) if (draft[question].length > 0) answers[question] = [...draft[question]];
  const word = draft.learn.includes(SOMETHING_ELSE) ? wordAsSlug(draft.learnWord) : undefined;
  if (word) answers.learnWord = word;
  return answers;
}

/** A session id from the address, if it is one the protocol accepts; anything else links to no session. */
export function sessionIdFrom(value: string | null): string | null {
  return value && /^[A-Za-z0-9_-]{1,64}$/.test(value) ? value : null;
}
