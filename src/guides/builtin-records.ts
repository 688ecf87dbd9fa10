// Turns the built-in guide content (authored once, in three languages) into database rows: one guide per language.
import type { GuideRecord, GuideStepRecord } from '../db/records';
import { keysFor } from '../lib/order-key';
import { builtinGuideId, builtinStepId } from '../protocol/builtin';
import { LANGUAGES } from '../protocol/lists';
import type { BuiltinGuide } from './content/types';

export function toRecords(
  content: BuiltinGuide[],
  contentVersion: number,
  imageUrl: (file: string) => string,
  now: number,
): { guides: GuideRecord[]; steps: GuideStepRecord[] } {
  const guides: GuideRecord[] = [];
  const steps: GuideStepRecord[] = [];
  const base = { org: '', site: '', updatedAt: now, hlc: '', fieldClocks: {}, deleted: 0 as const };
  for (const guide of content) {
    const orderKeys = keysFor(guide.steps.length);
    for (const lang of LANGUAGES) {
      // Stable ids by the protocol's rule: the same on every tablet, and the server refuses every change to them.
      const id = builtinGuideId(guide.slug, lang);
      guides.push({
        ...base,
        id,
        slug: guide.slug,
        lang,
        title: guide.title[lang],
        summary: guide.summary[lang],
        category: guide.category,
        tags: guide.tags[lang],
        source: 'builtin',
        version: contentVersion,
      });
      guide.steps.forEach((step, index) => {
        steps.push({
          ...base,
          id: builtinStepId(id, index + 1),
          guideId: id,
          orderKey: orderKeys[index]!,
          kind: step.kind,
          ...(step.practice ? { practice: step.practice } : {}),
          text: step.text[lang],
          alt: step.alt[lang],
          imageUrl: imageUrl(step.image),
        });
      });
    }
  }
  return { guides, steps };
}
