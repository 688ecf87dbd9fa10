// Offline is calm; red is kept for what needs a person.
import { describe, expect, it } from 'vitest';
import { syncTone } from '../../../src/sync/status-tone';

describe('the tone of a sync problem', () => {
  it('is calm for being offline and for what the tablet retries by itself', () => {
    for (const code of ['offline', 'rate-limited', 'server-error', 'bad-answer'] as const) expect(syncTone({ code })).toBe('calm');
  });
  it('asks for someone when a person must act', () => {
    for (const code of ['not-enrolled', 'revoked', 'unauthorized', 'update-required', 'server-too-old', 'quota-exceeded', 'storage-full'] as const)
      expect(syncTone({ code })).toBe('needs-someone');
  });
});
