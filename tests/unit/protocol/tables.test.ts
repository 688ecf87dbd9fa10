// The synced tables' fields: what a tablet may send, and that session logs and feedback have no room for free text.
import { describe, expect, it } from 'vitest';
import { TABLE_FIELDS, mutation, pushRequest } from '../../../src/protocol';

describe('synced table fields', () => {
  it('accepts a guide step with a picture and a session log with head-counts', () => {
    expect(
      TABLE_FIELDS.guideSteps.safeParse({
        guideId: 'g-1',
        orderKey: 'a0',
        kind: 'step',
        text: 'Avaa OmaKela',
        alt: 'OmaKela-sivu',
        imageHash: 'a'.repeat(64),
        deleted: 0,
      }).success,
    ).toBe(true);
    expect(
      TABLE_FIELDS.sessions.safeParse({
        status: 'final',
        startedAt: 1_767_000_000_000,
        format: 'walk-in',
        participants: { member: { new: 2, returning: 3 } },
        topics: ['e-identification', 'attachments'],
        barriers: ['no-e-id'],
      }).success,
    ).toBe(true);
  });

  it('refuses free text in a session log and unknown fields anywhere', () => {
    expect(TABLE_FIELDS.sessions.safeParse({ topics: ['Matti needed help with Kela'] }).success).toBe(false);
    expect(TABLE_FIELDS.sessions.safeParse({ notes: 'anything' }).success).toBe(false);
    expect(TABLE_FIELDS.sessions.safeParse({ note: 'x'.repeat(281) }).success).toBe(false);
    expect(TABLE_FIELDS.guides.safeParse({ org: 'other-org' }).success).toBe(false);
  });

  it('wants feedback whole, with answers as moods or chips only', () => {
    expect(TABLE_FIELDS.feedback.safeParse({ createdAt: 1, lang: 'fi', answers: { mood: 4, got: ['keeping-in-touch'] } }).success).toBe(true);
    expect(TABLE_FIELDS.feedback.safeParse({ createdAt: 1, lang: 'fi', answers: { mood: 9 } }).success).toBe(false);
    expect(TABLE_FIELDS.feedback.safeParse({ createdAt: 1, lang: 'fi', answers: { story: 'I live at …' } }).success).toBe(false);
    expect(TABLE_FIELDS.feedback.safeParse({ lang: 'fi', answers: {} }).success).toBe(false);
  });

  it('checks the envelope of a push and of each mutation', () => {
    expect(pushRequest.safeParse({ mutations: [{ mutationId: 1, anything: true }] }).success).toBe(true);
    expect(pushRequest.safeParse({ mutations: [{ mutationId: 0 }] }).success).toBe(false);
    expect(mutation.safeParse({ mutationId: 1, table: 'guides', id: 'g1', hlc: 'soon', fields: {} }).success).toBe(false);
  });
});
