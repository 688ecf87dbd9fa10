// The session logs every bench writes and sends (the node benches and the browser bench's page): one shape, so their
// numbers compare.
import { timeOrderedId } from '../../src/protocol/record-id';

export function logFields(i: number) {
  return {
    status: 'final',
    startedAt: 1_767_000_000_000 + i * 3_600_000,
    durationBand: ['under-15', '15-30', '30-60', 'over-60'][i % 4],
    format: ['group', 'walk-in', 'pop-up', 'one-to-one'][i % 4],
    channel: 'in-person',
    participants: { member: { new: i % 3, returning: (i * 7) % 5 }, onlooker: { new: 0, returning: i % 2 } },
    topics: [['security', 'e-identification'], ['keeping-in-touch'], ['attachments', 'authority-services', 'other']][i % 3],
    guidesUsed: [],
    devicesUsed: ['own'],
    outcome: 'with-support',
    referredTo: [],
    barriers: i % 5 === 0 ? ['no-e-id'] : [],
    note: i % 4 === 0 ? 'Päivitykset ja huijausviestit' : '',
    updatedAt: 1_767_000_000_000 + i,
  };
}

/**
 * Log i's id as the app makes ids (timeOrderedId in the log screen: a UUID version 7 of the time the log was made, here
 * its start), its random part the same in every run: random bits compress as little on the wire as the app's do, where
 * `log-${i}` would compress to almost nothing.
 */
export function logId(i: number): string {
  // mulberry32, seeded with i: ten bytes of one stream.
  let state = (i * 0x9e3779b9) >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const random = Uint8Array.from({ length: 10 }, () => next() & 0xff);
  return timeOrderedId(logFields(i).startedAt, random);
}
