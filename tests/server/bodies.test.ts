// No body costs the server: control characters, deep nesting and prototype keys are answered with 4xx or
// quarantined as plain data, on SQLite and PostgreSQL alike — never a 500, and never a push stuck for good.
import { expect } from 'vitest';
import { createEnrolmentCode } from '../../src/server/admin';
import { describeEachBackend, type Backend } from './support/backends';
import { GUIDE, SESSION, T0, change, headers, hlcAt, type World } from './support/world';

// C0 controls, DEL and C1 controls: what PostgreSQL refuses (NUL) or a log or terminal may misread (the rest).
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

describeEachBackend('bodies that must not cost the server', (_backend: Backend, it) => {
  const postJson = ({ world }: { world: World }, path: string, body: string, token?: string) =>
    world.app.request(path, { method: 'POST', headers: headers(token, { 'Content-Type': 'application/json' }), body });

  it('quarantines a field name with a NUL in plain words, keeps no control character, and the next push goes through', async ({ store, world }) => {
    const { a1, orgA } = world;
    const attack = change(a1, 'sessions', 'log1', { ...SESSION, 'no\u0000te\u001b[31m': 'x\u0000y' });
    const result = await a1.push([attack]);
    expect(result.status).toBe(200);
    expect(result.body.quarantined.map((q) => q.reason)).toEqual(['invalid_fields']);
    expect(result.body.quarantined[0]!.message).not.toMatch(CONTROL);
    expect(result.body.quarantined[0]!.message).toContain('unknown field');
    const [kept] = await store.quarantined(orgA);
    expect(kept!.message).not.toMatch(CONTROL);
    expect(kept!.payload).not.toMatch(CONTROL);
    expect(kept!.payload).toContain('no\\u0000te'); // escaped for the administrator, not lost
    // Not "500 forever": the queue moves on.
    expect((await a1.push([change(a1, 'guides', 'g1', GUIDE)])).body).toMatchObject({ lastMutationId: 2, applied: 1 });
  });

  it('quarantines a table name with control characters without echoing them', async ({ store, world }) => {
    const { a1, orgA } = world;
    const result = await a1.push([
      { ...change(a1, 'sessions', 'log1', SESSION), table: 'sess\u0000ions\u0085' },
      { ...change(a1, 'sessions', 'log2', SESSION), table: { toString: 1, valueOf: 2 } },
    ]);
    expect(result.status).toBe(200);
    expect(result.body.quarantined.map((q) => q.reason)).toEqual(['unknown_table', 'unknown_table']);
    expect(result.body.quarantined[0]!.message).not.toMatch(CONTROL);
    expect((await store.quarantined(orgA))[0]!.message).not.toMatch(CONTROL);
  });

  it('keeps a note with control characters as data: stored escaped, read back the same (notes are never pulled)', async ({ store, world }) => {
    const { a1, a1b } = world;
    const note = 'Tulostin\u0000 jumissa\u0007\u009b';
    expect((await a1.push([change(a1, 'sessions', 'log1', { ...SESSION, note })])).body).toMatchObject({ applied: 1, quarantined: [] });
    const [pulled] = (await a1b.pullAll()).changes;
    expect(pulled!.fields.note).toBeUndefined();
    expect((await store.recordsOfOrganisation(world.orgA, 'sessions'))[0]!.fields.note).toBe(note);
  });

  it('refuses a tablet name with a NUL with 400 in plain words, and the code still works', async ({ store, world }) => {
    const { code } = await createEnrolmentCode(store, world.siteA1, 24, T0);
    const refused = await postJson({ world }, '/v1/enrol', JSON.stringify({ code, deviceName: 'Olohuone\u0000tablet' }));
    expect(refused.status).toBe(400);
    const body = (await refused.json()) as { error: string; message: string };
    expect(body.error).toBe('bad_request');
    expect(body.message).toMatch(/control character/);
    expect(await store.listDevices(world.orgA)).toHaveLength(3);
    expect((await postJson({ world }, '/v1/enrol', JSON.stringify({ code, deviceName: 'Olohuone tablet' }))).status).toBe(201);
  });

  it('answers deeply nested JSON with 400 on every JSON endpoint', async ({ world }) => {
    const { a1 } = world;
    const deep = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
    const mutation = JSON.stringify(change(a1, 'guides', 'g1', { ...GUIDE, summary: 0 })).replace('"summary":0', `"summary":${deep(100_000)}`);
    for (const [path, body, token] of [
      ['/v1/push', `{"mutations":[${mutation}]}`, a1.token],
      ['/v1/push', deep(300_000), a1.token],
      ['/v1/enrol', `{"code":${deep(1_500)},"deviceName":"x"}`, undefined],
    ] as const) {
      const response = await postJson({ world }, path, body, token);
      expect(response.status, path).toBe(400);
      expect(await response.json()).toMatchObject({ error: 'bad_request', message: expect.stringMatching(/nested/) });
    }
    a1.nextMutationId = 1; // nothing was taken: the same number is still the next one
    expect((await a1.push([change(a1, 'guides', 'g1', GUIDE)])).body).toMatchObject({ lastMutationId: 1, applied: 1 });
  });

  it('treats __proto__ and constructor as plain names: never a prototype, never silently dropped', async ({ store, world }) => {
    const { a1, a1b, orgA } = world;
    const raw = (mutation: Record<string, unknown>, extra: string) => JSON.stringify(mutation).replace(/}$/, `,${extra}}`);
    const bodies = [
      // a field called __proto__ in a guide: an unknown field like any other
      raw(change(a1, 'guides', 'g1', {}), `"fields":${raw(GUIDE, '"__proto__":{"title":"Huijaus"}')}`).replace('"fields":{},', ''),
      // the whole mutation behind __proto__: a mutation without table, id or clock
      `{"mutationId":${a1.nextMutationId++},"__proto__":${JSON.stringify({ table: 'guides', id: 'g2', hlc: hlcAt(T0), fields: GUIDE })}}`,
      // a role called __proto__ in a session's head-counts
      JSON.stringify(change(a1, 'sessions', 'log1', { ...SESSION, participants: {} })).replace(
        '"participants":{}',
        '"participants":{"__proto__":{"new":1,"returning":0}}',
      ),
    ];
    const response = await a1.request('/v1/push', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: `{"mutations":[${bodies.join(',')}]}`,
    });
    expect(response.status).toBe(200);
    const result = (await response.json()) as { applied: number; quarantined: { mutationId: number; reason: string; message: string }[] };
    expect(result.applied).toBe(0);
    expect(result.quarantined.map((q) => q.reason)).toEqual(['invalid_fields', 'malformed_mutation', 'invalid_fields']);
    for (const refused of result.quarantined) expect(refused.message).toContain('__proto__');
    expect(await store.quarantined(orgA)).toHaveLength(3);
    expect((await a1b.pullAll()).changes).toEqual([]);
    // "constructor" is a role name like any other: kept as the tablet's own data, nothing inherited.
    const participants = JSON.parse('{"constructor":{"new":2,"returning":1},"member":{"new":0,"returning":1}}') as Record<string, unknown>;
    expect((await a1.push([change(a1, 'sessions', 'log2', { ...SESSION, participants })])).body).toMatchObject({ applied: 1, quarantined: [] });
    const [pulled] = (await a1b.pullAll()).changes;
    expect(pulled!.fields.participants).toEqual(participants);
    expect(Object.keys(pulled!.fields.participants as object).sort()).toEqual(['constructor', 'member']);
  });
});
