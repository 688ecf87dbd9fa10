// The tablet checks every answer of the server against the protocol's schemas before it keeps anything from it: the
// real server in-process, with one answer on the way rewritten into a shape the protocol does not allow. The tablet
// keeps nothing from such an answer and says "the server gave an unexpected answer" (bad-answer), never crashes.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { DigitukiDB } from '../../../src/db/db';
import { saveRecord } from '../../../src/db/changes';
import { readAcknowledged, readCursor, readEnrolment, waitingChanges } from '../../../src/db/sync';
import { EnrolmentError, SyncError, enrol } from '../../../src/sync/engine';
import { eachTestInAWorld, networkTo, SERVER, sessionLog, type Tablet, type World } from './support';

let world: World;
eachTestInAWorld((made) => {
  world = made;
});

type Json = Record<string, unknown>;

/** The tablet's network, with the JSON answer to `route` (e.g. "GET /v1/pull") rewritten by `rewrite` on its way. */
function rewriteAnswer(network: { fetch: typeof fetch }, route: string, rewrite: (answer: Json) => unknown): void {
  const real = network.fetch;
  network.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const response = await real(input, init);
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    if (`${init?.method ?? 'GET'} ${url.pathname}` !== route || !response.ok) return response;
    const answer = (await response.json()) as Json;
    return new Response(JSON.stringify(rewrite(answer)), { status: response.status, headers: { 'Content-Type': 'application/json' } });
  }) as typeof fetch;
}

async function problemOf(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (error) {
    if (error instanceof SyncError) return error.problem.code;
    throw error;
  }
  return 'none';
}

async function threeLogsOnServer(): Promise<void> {
  const a = await world.tablet('A');
  await a.use(async () => {
    for (const id of ['log1', 'log2', 'log3']) await saveRecord('sessions', id, sessionLog('walk-in'));
  });
  await a.sync();
}

const second = (change: unknown, index: number, rewrite: (change: Json) => Json) => (index === 1 ? rewrite(change as Json) : change);
const BAD_PAGES: [string, (page: Json) => unknown][] = [
  [
    'a change whose clock is not a clock',
    (page) => ({ ...page, changes: (page.changes as Json[]).map((c, i) => second(c, i, (x) => ({ ...x, hlc: 'yesterday' }))) }),
  ],
  ['a change without fields', (page) => ({ ...page, changes: (page.changes as Json[]).map((c, i) => second(c, i, (x) => ({ ...x, fields: null }))) })],
  [
    'a field clock that is not a clock',
    (page) => ({ ...page, changes: (page.changes as Json[]).map((c, i) => second(c, i, (x) => ({ ...x, fieldClocks: { format: 42 } }))) }),
  ],
  ['a change of no table', (page) => ({ ...page, changes: (page.changes as Json[]).map((c, i) => second(c, i, (x) => ({ ...x, table: ['sessions'] }))) })],
  ['missing pictures that are not hashes', (page) => ({ ...page, missingBlobs: ['../../etc/passwd'] })],
  ['no serverTime', ({ serverTime: _gone, ...page }) => page],
];

describe('a pull page the protocol does not allow', () => {
  it.each(BAD_PAGES)('%s: the tablet stores nothing from it, keeps its cursor and reports a bad answer', async (_name, rewrite) => {
    await threeLogsOnServer();
    const b = await world.tablet('B');
    rewriteAnswer(b.network, 'GET /v1/pull', rewrite);
    expect(await problemOf(b.sync())).toBe('bad-answer');
    expect(await b.database.sessions.count()).toBe(0);
    expect(await readCursor(b.database)).toBeUndefined();
  });

  it('a page of a table this app does not know, with a field it does not know, is taken: the cursor moves (a newer server)', async () => {
    await threeLogsOnServer();
    const b = await world.tablet('B');
    rewriteAnswer(b.network, 'GET /v1/pull', (page) => ({ ...page, changes: (page.changes as Json[]).map((c) => ({ ...c, table: 'rooms' })), newField: 1 }));
    expect(await problemOf(b.sync())).toBe('none');
    expect(await readCursor(b.database)).toBeTypeOf('string');
  });
});

const BAD_PUSH_ANSWERS: [string, (answer: Json) => unknown][] = [
  ['quarantined is not a list', (answer) => ({ ...answer, quarantined: 'none' })],
  ['lastMutationId is not a whole number', (answer) => ({ ...answer, lastMutationId: 2.5 })],
  ['a clamped clock that is not a clock', (answer) => ({ ...answer, clamped: [{ mutationId: 1, hlc: 'soon' }] })],
  ['serverTime is text', (answer) => ({ ...answer, serverTime: 'now' })],
  ['a missing picture that is not a hash', (answer) => ({ ...answer, missingBlobs: [42] })],
];

describe('a push answer the protocol does not allow', () => {
  it.each(BAD_PUSH_ANSWERS)('%s: the tablet keeps every change waiting, acknowledges nothing and reports a bad answer', async (_name, rewrite) => {
    const a: Tablet = await world.tablet('A');
    await a.use(async () => {
      for (const id of ['log1', 'log2', 'log3']) await saveRecord('sessions', id, sessionLog('group'));
    });
    const { deviceId } = (await readEnrolment(a.database))!;
    const real = a.network.fetch;
    rewriteAnswer(a.network, 'POST /v1/push', rewrite);
    expect(await problemOf(a.sync())).toBe('bad-answer');
    expect((await waitingChanges(a.database)).map((entry) => entry.mutationId)).toEqual([1, 2, 3]);
    expect(await readAcknowledged(a.database, deviceId)).toBe(0);
    // With a good answer the next round settles them: the server had applied them once, and counts them as seen.
    a.network.fetch = real;
    await a.sync();
    expect(await a.database.outbox.count()).toBe(0);
    expect(await world.store.recordsOfOrganisation(world.orgId, 'sessions')).toHaveLength(3);
  });
});

describe('other answers the protocol does not allow', () => {
  it('an enrolment answer without a device id: nothing is saved and the instructor is told the server has a problem', async () => {
    const database = new DigitukiDB('tablet-enrol-bad-answer', { indexedDB: new IDBFactory(), IDBKeyRange });
    const network = networkTo(() => world.app);
    rewriteAnswer(network, 'POST /v1/enrol', ({ deviceId: _gone, ...answer }) => answer);
    const failure = await enrol(database, { serverUrl: SERVER, code: await world.code(), deviceName: 'Tablet C' }, network.fetch).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(EnrolmentError);
    expect((failure as EnrolmentError).code).toBe('server-error');
    expect(await readEnrolment(database)).toBeUndefined();
  });

  it('an enrolment answer that is not JSON is a server problem, not a crash', async () => {
    const database = new DigitukiDB('tablet-enrol-not-json', { indexedDB: new IDBFactory(), IDBKeyRange });
    const network = networkTo(() => world.app);
    const real = network.fetch;
    network.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      await real(input, init);
      return new Response('<html>proxy</html>', { status: 201, headers: { 'Content-Type': 'text/html' } });
    }) as typeof fetch;
    const failure = await enrol(database, { serverUrl: SERVER, code: await world.code(), deviceName: 'Tablet D' }, network.fetch).catch(
      (error: unknown) => error,
    );
    expect((failure as EnrolmentError).code).toBe('server-error');
    expect(await readEnrolment(database)).toBeUndefined();
  });

  it('a health answer whose features are not a list is a bad answer, and nothing is sent', async () => {
    const a = await world.tablet('A');
    await a.use(() => saveRecord('sessions', 'log1', sessionLog('walk-in')));
    rewriteAnswer(a.network, 'GET /v1/health', (answer) => ({ ...answer, features: 'all' }));
    expect(await problemOf(a.sync())).toBe('bad-answer');
    expect(await a.database.outbox.count()).toBe(1);
  });

  it('an access token answer without a token is a bad answer', async () => {
    const a = await world.tablet('A');
    rewriteAnswer(a.network, 'POST /v1/auth/token', ({ accessToken: _gone, ...answer }) => answer);
    expect(await problemOf(a.sync())).toBe('bad-answer');
  });

  it('records fetched by reconciliation with a clock that is not a clock: nothing is stored', async () => {
    await threeLogsOnServer();
    const b = await world.tablet('B');
    // The pull loses its answer's changes (an empty page), so only reconciliation can find the three logs.
    rewriteAnswer(b.network, 'GET /v1/pull', (page) => ({ ...page, changes: [] }));
    rewriteAnswer(b.network, 'POST /v1/records', (answer) => ({
      ...answer,
      changes: (answer.changes as Json[]).map((change) => ({ ...change, hlc: 'tomorrow' })),
    }));
    expect(await problemOf(b.sync())).toBe('bad-answer');
    expect(await b.database.sessions.count()).toBe(0);
  });
});

describe('picture answers the protocol does not allow', () => {
  // A 1×1 PNG, as the guide editor's picture pipeline would store one.
  const PNG = new Uint8Array([
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89,
  ]);

  async function guideWithPicture(tablet: Tablet): Promise<string> {
    const hash = Buffer.from(await crypto.subtle.digest('SHA-256', PNG)).toString('hex');
    await tablet.database.blobs.put({ hash, type: 'image/png', bytes: new Blob([PNG], { type: 'image/png' }), size: PNG.length, uploaded: 0 });
    await tablet.use(async () => {
      await saveRecord('guides', 'g1', {
        slug: 'tulostin',
        lang: 'fi',
        title: 'Tulostin',
        summary: '',
        category: 'device',
        tags: [],
        source: 'org',
        version: 1,
      });
      await saveRecord('guideSteps', 's1', { guideId: 'g1', orderKey: 'V', kind: 'step', text: 'Paina nappia.', alt: 'Tulostimen nappi', imageHash: hash });
    });
    return hash;
  }

  it('a picture answered as a web page is not kept: a bad answer', async () => {
    const a = await world.tablet('A');
    const hash = await guideWithPicture(a);
    await a.sync();
    const b = await world.tablet('B');
    const real = b.network.fetch;
    b.network.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const response = await real(input, init);
      if (!String(input).includes('/v1/blobs/') || (init?.method ?? 'GET') !== 'GET') return response;
      return new Response(await response.arrayBuffer(), { status: 200, headers: { 'Content-Type': 'text/html' } });
    }) as typeof fetch;
    expect(await problemOf(b.sync())).toBe('bad-answer');
    expect(await b.database.blobs.get(hash)).toBeUndefined();
  });

  it('an upload answer for another picture: the picture stays waiting for upload, a bad answer', async () => {
    const a = await world.tablet('A');
    const hash = await guideWithPicture(a);
    rewriteAnswer(a.network, `PUT /v1/blobs/${hash}`, (answer) => ({ ...answer, hash: 'f'.repeat(64) }));
    expect(await problemOf(a.sync())).toBe('bad-answer');
    expect((await a.database.blobs.get(hash))?.uploaded).toBe(0);
  });
});
