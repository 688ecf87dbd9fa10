// Owns the console's rule for who changed an organisation guide last and when: the latest change a tablet made to the
// guide or to any of its steps (issue 18). Pure: the store reads the changes, the API names the tablets.
import type { TabletChange } from '../store/store';

export interface GuideChange {
  deviceId: string;
  at: number;
}

/**
 * For each guide id, the latest tablet change of the guide or of a step that belongs to it now (its `guideId`). Later
 * means a later server time; at the same millisecond, the higher change number (the organisation's commit order).
 */
export function latestGuideChanges(changes: readonly TabletChange[]): Map<string, GuideChange> {
  const latest = new Map<string, TabletChange>();
  for (const change of changes) {
    const guideId =
      change.table === 'guides' ? change.id : change.table === 'guideSteps' && typeof change.fields.guideId === 'string' ? change.fields.guideId : undefined;
    if (guideId === undefined) continue;
    const known = latest.get(guideId);
    if (!known || change.at > known.at || (change.at === known.at && change.seq > known.seq)) latest.set(guideId, change);
  }
  return new Map([...latest].map(([guideId, change]) => [guideId, { deviceId: change.deviceId, at: change.at }]));
}
