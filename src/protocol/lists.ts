// Owns the fixed lists that the tablet, the console and the server share: the languages and the guide topics and
// step kinds. Kept apart from tables.ts and free of zod, so the participant home can import them without the schemas.

/** The languages of the app's words and of guide content, Finnish first. */
export const LANGUAGES = ['fi', 'sv', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** The guide topics, in the order the home shows their tiles. */
export const GUIDE_CATEGORIES = ['contact', 'authorities', 'books', 'safety', 'device', 'say'] as const;
export type GuideCategory = (typeof GUIDE_CATEGORIES)[number];

export const STEP_KINDS = ['step', 'tip', 'warning', 'practice'] as const;
