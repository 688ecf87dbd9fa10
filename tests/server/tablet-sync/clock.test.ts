// A tablet whose date is wrong, against the real server (in-process, real SQLite file): its own later edit always
// wins over its earlier one, on the server and on every tablet, and one sync is enough to stop it writing the future.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { saveRecord } from '../../../src/db/changes';
import { LIMITS, parseHlc } from '../../../src/protocol';
import { makeWorld, sentPushBody, type Tablet, type World } from './support';

const T0 = 1_767_000_000_000;
const MINUTE = 60_000;
const DAY = 86_400_000;

let world: World;
let serverNow: number;

beforeEach(async () => {
  serverNow = T0;
  world = await makeWorld({ now: () => serverNow });
});
afterEach(async () => {
  await world.close();
});

const log = (format: string) => ({ status: 'final', startedAt: T0, format, topics: ['security'], participants: { member: { new: 1, returning: 0 } } });

/** Every clock the tablet holds: its own, each record's and each field's, each waiting change's. */
async function clocksOn(tablet: Tablet): Promise<string[]> {
  const clocks: string[] = [String((await tablet.database.syncState.get('clock'))?.value ?? '')];
  for (const table of ['sessions', 'guides', 'guideSteps'] as const) {
    for (const row of (await tablet.database.table(table).toArray()) as { hlc: string; fieldClocks: Record<string, string> }[])
      clocks.push(row.hlc, ...Object.values(row.fieldClocks));
  }
  for (const entry of await tablet.database.outbox.toArray()) clocks.push(entry.hlc);
  return clocks.filter(Boolean);
}

async function latestWallOn(tablet: Tablet): Promise<number> {
  return Math.max(...(await clocksOn(tablet)).map((clock) => parseHlc(clock)!.wallMs));
}

describe('a tablet whose date is wrong', () => {
  it('keeps its later edit of a field when it is 5 min fast and was offline 4.5 min, on the server and on every tablet', async () => {
    const a = await world.tablet('A');
    const b = await world.tablet('B');
    a.now = () => serverNow + 5 * MINUTE;
    await a.use(() => saveRecord('sessions', 'log1', log('walk-in'), a.now!())); // 30 s ahead of the server by the time it syncs
    serverNow += 4.5 * MINUTE;
    await a.use(() => saveRecord('sessions', 'log1', { format: 'group' }, a.now!())); // 5 min ahead
    const result = await a.sync();
    expect(result.pushed).toBe(1); // the two saves of one log wait as one change (issue 16), its later value at its later clock

    const [onServer] = await world.store.recordsOfOrganisation(world.orgId, 'sessions');
    expect(onServer!.fields.format).toBe('group');
    expect((await a.database.sessions.get('log1'))?.format).toBe('group'); // the author's tablet does not flip back
    await b.sync();
    expect((await b.database.sessions.get('log1'))?.format).toBe('group');

    // After the sync nothing on the tablet is further ahead than the server allows…
    expect(await latestWallOn(a)).toBeLessThanOrEqual(serverNow + LIMITS.clockDriftMs);
    // …and its next edits are stamped with the server's time, so the server has nothing to replace.
    serverNow += MINUTE;
    const next = await a.use(() => saveRecord('sessions', 'log1', { format: 'pop-up' }, a.now!()));
    expect(parseHlc(next.hlc)!.wallMs).toBeLessThanOrEqual(serverNow + LIMITS.clockDriftMs);
    await a.sync();
    const [after] = await world.store.recordsOfOrganisation(world.orgId, 'sessions');
    expect(after!.fields.format).toBe('pop-up');
    expect(after!.fieldClocks.format).toBe(next.hlc); // kept as the tablet stamped it
  });

  it('stamps changes that wait behind a clamped push again, in their order, after everything it sent', async () => {
    const a = await world.tablet('A');
    a.now = () => serverNow + 10 * MINUTE;
    // Three logs, one waiting change each; only the first goes in the first push (the batch size is one).
    for (const [index, format] of ['walk-in', 'group', 'pop-up'].entries()) await a.use(() => saveRecord('sessions', `log${index + 1}`, log(format), a.now!()));
    const { syncOnce } = await import('../../../src/sync/engine');
    // The first push is answered; the tablet is cut off before the next one.
    let pushes = 0;
    const cutAfterOne: typeof fetch = async (input, init) => {
      if (String(input).endsWith('/v1/push') && (pushes += 1) > 1) throw new TypeError('Failed to fetch');
      return a.network.fetch(input, init);
    };
    await syncOnce({ database: a.database, fetch: cutAfterOne, now: a.now, batchSize: 1 }).catch(() => undefined);
    const waiting = await a.database.outbox.orderBy('seq').toArray();
    expect(waiting).toHaveLength(2);
    const [kept] = await world.store.recordsOfOrganisation(world.orgId, 'sessions');
    expect(waiting[0]!.hlc > kept!.hlc).toBe(true);
    expect(waiting[1]!.hlc > waiting[0]!.hlc).toBe(true);
    for (const entry of waiting) expect(parseHlc(entry.hlc)!.wallMs).toBeLessThanOrEqual(serverNow + LIMITS.clockDriftMs);
    const local = await a.database.sessions.get('log3');
    expect(local!.fieldClocks.format).toBe(waiting[1]!.hlc); // the record's field clock follows its change
    await a.sync();
    expect((await world.store.recordsOfOrganisation(world.orgId, 'sessions')).map((record) => record.fields.format).sort()).toEqual([
      'group',
      'pop-up',
      'walk-in',
    ]);
  });

  it('sends changes numbered while an earlier push was on its way with the clocks that push settled, not their old ones', async () => {
    const a = await world.tablet('A');
    a.now = () => serverNow + 10 * MINUTE;
    for (const [index, format] of ['walk-in', 'group', 'pop-up'].entries()) await a.use(() => saveRecord('sessions', `log${index + 1}`, log(format), a.now!()));
    const { syncOnce } = await import('../../../src/sync/engine');
    const sent: string[] = [];
    const watching: typeof fetch = async (input, init) => {
      if (String(input).endsWith('/v1/push')) sent.push(...sentPushBody<{ mutations: { hlc: string }[] }>(init).mutations.map((m) => m.hlc));
      return a.network.fetch(input, init);
    };
    // One change per push: the second and third are numbered while the first is on its way, then moved by its answer.
    await syncOnce({ database: a.database, fetch: watching, now: a.now, batchSize: 1 });
    expect(sent).toHaveLength(3);
    for (const clock of sent.slice(1)) expect(parseHlc(clock)!.wallMs, 'sent within the allowed drift').toBeLessThanOrEqual(serverNow + LIMITS.clockDriftMs);
    // Tablet and server hold every field at the same clock.
    const onServer = await world.store.recordsOfOrganisation(world.orgId, 'sessions');
    for (const record of onServer) expect((await a.database.sessions.get(record.id))!.fieldClocks).toEqual(record.fieldClocks);
  });

  it('does not keep the clock in the future after one day with a wrong date: a colleague’s newer edit wins', async () => {
    const a = await world.tablet('A');
    const b = await world.tablet('B');
    a.now = () => serverNow + DAY; // a day ahead all day
    await a.use(() => saveRecord('sessions', 'log1', log('walk-in'), a.now!()));
    await a.sync();
    await b.sync();
    expect(await latestWallOn(a)).toBeLessThanOrEqual(serverNow + LIMITS.clockDriftMs);

    // The next day the date is right again. The tablet edits offline; ten minutes later a colleague edits too.
    serverNow += DAY;
    a.now = () => serverNow;
    await a.use(() => saveRecord('sessions', 'log1', { format: 'group' }, a.now!()));
    serverNow += 10 * MINUTE;
    await b.use(() => saveRecord('sessions', 'log1', { format: 'pop-up' }, serverNow));
    await b.sync();
    serverNow += MINUTE;
    await a.sync();
    await b.sync();
    expect((await world.store.recordsOfOrganisation(world.orgId, 'sessions'))[0]!.fields.format).toBe('pop-up');
    expect((await a.database.sessions.get('log1'))?.format).toBe('pop-up');
    expect((await b.database.sessions.get('log1'))?.format).toBe('pop-up');
  });
});
