// The shared tablet forgets the last person's guides after the idle minutes, in participant mode only.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PARTICIPANT_IDLE_MS, shouldForget } from '../../../src/app/participant-idle';

describe('forgetting the recently opened guides', () => {
  it('happens exactly when the tablet was idle long enough in participant mode', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), fc.integer({ min: 0, max: 3 * PARTICIPANT_IDLE_MS }), fc.boolean(), (last, idle, participant) => {
        expect(shouldForget(last, last + idle, participant)).toBe(participant && idle >= PARTICIPANT_IDLE_MS);
      }),
    );
  });
});
