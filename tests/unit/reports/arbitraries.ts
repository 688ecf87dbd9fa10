// Random session logs and feedback for the report's property tests.
import fc from 'fast-check';
import { CHIPS } from '../../../src/feedback/answers';
import type { FeedbackRow } from '../../../src/reports/aggregate';
import { VOCABULARY, type SessionLog } from '../../../src/sessions/session-log';

const pick = <T>(values: readonly T[]) => fc.option(fc.constantFrom(...values), { nil: undefined });
const some = (values: readonly string[]) => fc.subarray([...values]);
const headCount = fc.record({ new: fc.nat({ max: 12 }), returning: fc.nat({ max: 12 }) });

export const sessionLog: fc.Arbitrary<SessionLog> = fc.record({
  id: fc.uuid(),
  site: fc.constantFrom('site-a', 'site-b'),
  status: fc.constantFrom('draft' as const, 'final' as const, 'final' as const),
  startedAt: fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2026, 11, 31) }),
  durationBand: pick(VOCABULARY.durationBand),
  format: pick(VOCABULARY.format),
  channel: pick(VOCABULARY.channel),
  instructorId: fc.constant(null),
  participants: fc.record({ onlooker: headCount, member: headCount, peer: headCount, participant: headCount }, { requiredKeys: [] }),
  topics: some(VOCABULARY.topics),
  guidesUsed: fc.constant([]),
  devicesUsed: some(VOCABULARY.devicesUsed),
  outcome: fc.option(fc.constantFrom(...VOCABULARY.outcome), { nil: null }),
  referredTo: some(VOCABULARY.referredTo),
  barriers: some(VOCABULARY.barriers),
  note: fc.constant(''),
  deleted: fc.constantFrom(0 as const, 0 as const, 0 as const, 1 as const),
  updatedAt: fc.constant(0),
});

export const feedbackRow: fc.Arbitrary<FeedbackRow> = fc
  .record({
    mood: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
    learn: fc.option(fc.subarray([...CHIPS]), { nil: undefined }),
    learnWord: fc.option(fc.constantFrom('podcastit', 'pelit', 'kirjasto'), { nil: undefined }),
  })
  .map((answers) => ({ answers: Object.fromEntries(Object.entries(answers).filter(([, value]) => value !== undefined)) }));
