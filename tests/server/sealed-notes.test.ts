// Sealed session notes (issue 13 item 1, README "Session notes"): the enrolment answer and GET /v1/org-note-key give
// the organisation's note key; the server opens sealed notes when it applies a push and keeps them in clear; an
// envelope it cannot open is quarantined with a plain reason (never 5xx) while the rest of the push applies; pulls and
// reconciliation records carry no note, and the digest agrees with what a tablet that never saw the note holds.
import { expect } from 'vitest';
import { LOCAL_NOTE_PREFIX, SEALED_PREFIX, sealNote, tableDigests, type DigestEntry, type DigestResponse } from '../../src/protocol';
import type { Store } from '../../src/server/store';
import { describeEachBackend, type Backend } from './support/backends';
import { SESSION, change, headers } from './support/world';

describeEachBackend('sealed notes', (_backend: Backend, it) => {
  const noteOnServer = async ({ store }: { store: Store }, orgId: string, id: string) =>
    (await store.recordsOfOrganisation(orgId, 'sessions')).find((record) => record.id === id)?.fields.note;

  it('each organisation has one note key: in the enrolment answer and from GET /v1/org-note-key, never without a token', async ({ world }) => {
    const { a1, a1b, a2, b1, app } = world;
    expect(a1.orgNoteKey).toMatch(/^[A-Za-z0-9_-]{87}$/); // 65 raw bytes
    expect(a1b.orgNoteKey).toBe(a1.orgNoteKey);
    expect(a2.orgNoteKey).toBe(a1.orgNoteKey);
    expect(b1.orgNoteKey).not.toBe(a1.orgNoteKey);
    const asked = await a1.request('/v1/org-note-key');
    expect(asked.status).toBe(200);
    expect(await asked.json()).toEqual({ orgNoteKey: a1.orgNoteKey });
    expect((await app.request('/v1/org-note-key', { headers: headers() })).status).toBe(401);
  });

  it("opens a sealed note and keeps it in clear; no pull, own or colleague's, carries the note or its clock", async ({ store, world }) => {
    const { a1, a1b } = world;
    const note = 'Harjoiteltiin OmaKelaa – Ёлка 🎄 ja äöå';
    const pushed = await a1.push([change(a1, 'sessions', 'log1', { ...SESSION, note: await sealNote(note, a1.orgNoteKey!) })]);
    expect(pushed.status).toBe(200);
    expect(pushed.body).toMatchObject({ applied: 1, quarantined: [] });
    expect(await noteOnServer({ store }, world.orgA, 'log1')).toBe(note);
    for (const tablet of [a1, a1b]) {
      const [log] = (await tablet.pullAll()).changes;
      expect(log!.fields.format).toBe('walk-in');
      expect(Object.keys(log!.fields)).not.toContain('note');
      expect(Object.keys(log!.fieldClocks)).not.toContain('note');
      expect(JSON.stringify(log)).not.toContain('OmaKela');
      // Reconciliation's records by id leave it out too.
      const fetched = await tablet.request('/v1/records', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ records: { sessions: ['log1'] } }),
      });
      expect(fetched.status).toBe(200);
      expect(JSON.stringify(await fetched.json())).not.toContain('note');
    }
  });

  it('the digest of a record with a note equals the digest of the same record as a tablet that pulled it holds it', async ({ world }) => {
    const { a1, a1b } = world;
    await a1.push([
      change(a1, 'sessions', 'log1', SESSION),
      change(a1, 'sessions', 'log1', { note: await sealNote('Myöhempi muistiinpano', a1.orgNoteKey!), updatedAt: 5 }),
    ]);
    const { changes } = await a1b.pullAll();
    const held: DigestEntry[] = changes.map((c) => ({ table: c.table, id: c.id, hlc: c.hlc, fieldClocks: c.fieldClocks }));
    const digest = (await (await a1b.request('/v1/digest')).json()) as DigestResponse;
    expect(digest.tables).toEqual(tableDigests(held));
  });

  it('quarantines every envelope it cannot open with a plain reason, never 5xx, and applies the rest of the push', async ({ store, world }) => {
    const { a1, b1 } = world;
    const good = await sealNote('Hyvä muistiinpano', a1.orgNoteKey!);
    const [, oneTimeKey, iv, body] = good.slice(SEALED_PREFIX.length - 'v1:'.length).split(':');
    const flipped = body!.slice(0, 10) + (body![10] === 'A' ? 'B' : 'A') + body!.slice(11);
    const bad = [
      await sealNote('Toisen järjestön avaimella', b1.orgNoteKey!), // sealed to another organisation's key
      `${SEALED_PREFIX}${oneTimeKey}:${iv}:${flipped}`, // a changed byte
      `${SEALED_PREFIX}${oneTimeKey}:${iv}`, // cut short
      `${SEALED_PREFIX}not base64!:${iv}:${body}`,
      `${SEALED_PREFIX}${'A'.repeat(87)}:${iv}:${body}`, // not a point on the curve
      `${SEALED_PREFIX}${oneTimeKey}:${iv}:${'A'.repeat(4000)}`, // far longer than any note
      `${LOCAL_NOTE_PREFIX}abc:def`, // a tablet's own at-rest ciphertext
    ];
    const batch = [
      ...bad.map((note, i) => change(a1, 'sessions', `bad${i}`, { ...SESSION, note })),
      change(a1, 'sessions', 'good', { ...SESSION, note: good }),
    ];
    const pushed = await a1.push(batch);
    expect(pushed.status).toBe(200);
    expect(pushed.body.applied).toBe(1);
    expect(pushed.body.quarantined.map((q) => q.reason)).toEqual(bad.map(() => 'sealed_note_unreadable'));
    expect(pushed.body.quarantined[0]!.message).toMatch(/sealed to a key this organisation does not have/);
    expect(await noteOnServer({ store }, world.orgA, 'good')).toBe('Hyvä muistiinpano');
    expect((await store.recordsOfOrganisation(world.orgA, 'sessions')).map((r) => r.id)).toEqual(['good']);
    // A note from a tablet of an older version arrives in clear and is kept as it was.
    const older = await a1.push([change(a1, 'sessions', 'older', { ...SESSION, note: 'Selvä teksti' })]);
    expect(older.body).toMatchObject({ applied: 1 });
    expect(await noteOnServer({ store }, world.orgA, 'older')).toBe('Selvä teksti');
  });

  it('a sealed note with personal data inside is refused as personal data once opened', async ({ world }) => {
    const { a1 } = world;
    const pushed = await a1.push([change(a1, 'sessions', 'log1', { ...SESSION, note: await sealNote('Soita 040 123 4567', a1.orgNoteKey!) })]);
    expect(pushed.body.quarantined.map((q) => q.reason)).toEqual(['personal_data_in_note']);
  });
});
