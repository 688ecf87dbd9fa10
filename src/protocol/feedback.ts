// Owns the closed list of feedback questions a participant can answer: an answer under any other key never syncs.
// No zod here, so the participant bundle can use it without the schemas.

/** The app's questions: a mood 1–5, three picture-chip questions, and the one optional word of "something else". */
export const FEEDBACK_QUESTIONS = ['mood', 'got', 'next', 'learn', 'learnWord'] as const;
export type FeedbackQuestion = (typeof FEEDBACK_QUESTIONS)[number];

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
