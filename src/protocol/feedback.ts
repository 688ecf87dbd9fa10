// Owns the closed list of feedback questions a participant can answer (an answer under any other key never syncs)
// and the one list of their picture choices, made of the guide topics (src/protocol/lists.ts) and the answers that are
// no topic. No zod here, so the participant bundle can use it without the schemas.
import { GUIDE_CATEGORIES } from './lists';

/** The app's questions: a mood 1–5, three picture-chip questions, and the one optional word of "something else". */
export const FEEDBACK_QUESTIONS = ['mood', 'got', 'next', 'learn', 'learnWord'] as const;
export type FeedbackQuestion = (typeof FEEDBACK_QUESTIONS)[number];

/** Feedback answers that mean "not a topic"; each stands alone (picking one clears the topics and the other way round). */
export const NOT_A_TOPIC = ['nothing-yet', 'dont-know'] as const;
/** The feedback answer that opens the one optional word. */
export const SOMETHING_ELSE = 'something-else';
/** The picture choices: the guide topics (the same pictures as the home), then the answers that are no topic. */
export const FEEDBACK_CHIPS = [...GUIDE_CATEGORIES, ...NOT_A_TOPIC, SOMETHING_ELSE] as const;
export type FeedbackChip = (typeof FEEDBACK_CHIPS)[number];

export function isFeedbackQuestion(key: string): key is FeedbackQuestion {
  return (FEEDBACK_QUESTIONS as readonly string[]).includes(key);
}

/** The keys of an answers object that are not the app's questions (own keys only), at most `max` of them. */
export function unknownFeedbackQuestions(answers: unknown, max = 5): string[] {
  if (typeof answers !== 'object' || answers === null || Array.isArray(answers)) return [];
  return Object.keys(answers)
    .filter((key) => !isFeedbackQuestion(key))
    .slice(0, max);
}
