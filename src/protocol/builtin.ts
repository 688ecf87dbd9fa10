// Owns which synced records are the app's built-in guide content. Built-in guides ship with the app: no tablet and
// no organisation may change them through sync. Their ids are made from the content (`b-<slug>-<lang>` for a guide,
// `b-<slug>-<lang>-<n>` for its steps); own records have random ids, which never start with `b-`.

export const BUILTIN_ID_PREFIX = 'b-';

/** The id of a built-in guide, the same on every tablet, so a deep link or a session's "guides used" means one guide. */
export const builtinGuideId = (slug: string, lang: string): string => `${BUILTIN_ID_PREFIX}${slug}-${lang}`;

/** The id of a built-in guide's step, numbered from 1. */
export const builtinStepId = (guideId: string, number: number): string => `${guideId}-${number}`;

export function isBuiltinId(id: unknown): boolean {
  return typeof id === 'string' && id.startsWith(BUILTIN_ID_PREFIX);
}

/**
 * True when a change to a guide or a step would change what a built-in guide shows: a change to a built-in guide or
 * step itself, a step put into a built-in guide, or a guide claiming to be built-in. Other tables are never built-in.
 */
export function touchesBuiltinGuide(table: string, id: string, fields: Readonly<Record<string, unknown>>): boolean {
  if (table !== 'guides' && table !== 'guideSteps') return false;
  if (isBuiltinId(id)) return true;
  if (table === 'guides') return Object.hasOwn(fields, 'source') && fields.source === 'builtin';
  return Object.hasOwn(fields, 'guideId') && isBuiltinId(fields.guideId);
}
