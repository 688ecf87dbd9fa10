// The tablet's sync engine against the real server (in-process, real SQLite file): everything written offline
// reaches the server exactly once, and every tablet of the site ends up with the same records. The random three-tablet
// property lives in convergence.test.ts.
import { describe, expect, it } from 'vitest';
import { addFeedback, deleteRecord, saveRecord } from '../../../src/db/changes';
import { readEnrolment, waitingChanges } from '../../../src/db/sync';
import { revokeDevice } from '../../../src/server/admin';
import { ConsoleStore } from '../../../src/server/console/console-store';
import { SyncError, syncOnce } from '../../../src/sync/engine';
import { contents, eachTestInAWorld, type World } from './support';

let world: World;
eachTestInAWorld((made) => {
  world = made;
});

const log = (format: string, topics: string[] = ['security']) => ({
  status: 'final',
  startedAt: 1_767_000_000_000,
  format,
  topics,
  participants: { member: { new: 1, returning: 0 } },
});

async function serverRecords(table?: string) {
  return world.store.recordsOfOrganisation(world.orgId, table);
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

describe('what a tablet tells about itself', () => {
  it('sends its app version and how many changes wait, which the console lists', async () => {
    const a = await world.tablet('A');
    await a.use(async () => {
      await saveRecord('sessions', 'log1', log('walk-in'));
      await saveRecord('sessions', 'log2', log('group'));
    });
    await a.sync();
    const enrolment = await readEnrolment(a.database);
    const reported = (await new ConsoleStore(world.store.database).tabletReports(world.orgId)).get(enrolment!.deviceId);
    expect(reported?.appVersion).toBe(__APP_VERSION__);
    // The last request of the round (a pull) was sent after the push emptied the outbox; the push itself said 2.
    expect(reported?.waiting).toBe(0);
  });
});

describe('a tablet that was offline', () => {
  it('sends three logs written offline once, and another tablet of the site then has them', async () => {
    const a = await world.tablet('A');
    const b = await world.tablet('B');
    await a.use(async () => {
      await saveRecord('sessions', 'log1', log('walk-in'));
      await saveRecord('sessions', 'log2', log('group'));
      await saveRecord('sessions', 'log3', log('pop-up'));
      await addFeedback('fb1', { createdAt: 1_767_000_000_000, lang: 'fi', answers: { mood: 5 } });
    });
    const result = await a.sync();
    expect(result.pushed).toBe(4);
    expect(await a.database.outbox.count()).toBe(0);
    expect((await serverRecords('sessions')).map((r) => r.id).sort()).toEqual(['log1', 'log2', 'log3']);

    await b.sync();
    expect((await b.database.sessions.toArray()).map((s) => [s.id, s.format]).sort()).toEqual([
      ['log1', 'walk-in'],
      ['log2', 'group'],
      ['log3', 'pop-up'],
    ]);
    expect((await b.database.feedback.get('fb1'))?.answers).toEqual({ mood: 5 });
    const enrolment = await readEnrolment(b.database);
    expect((await b.database.sessions.get('log1'))?.site).toBe(enrolment!.siteId);
  });

  it('resends after an answer is lost, and the server applies each change once', async () => {
    const a = await world.tablet('A');
    await a.use(async () => {
      for (let i = 1; i <= 3; i += 1) await saveRecord('sessions', `log${i}`, log('walk-in'));
    });
    a.network.faults = ['lose-answer'];
    expect(await problemOf(a.sync())).toBe('offline');
    expect((await waitingChanges(a.database)).map((e) => e.mutationId)).toEqual([1, 2, 3]);
    expect(await serverRecords('sessions')).toHaveLength(3); // the server did commit

    await a.sync();
    expect(await a.database.outbox.count()).toBe(0);
    expect(await serverRecords('sessions')).toHaveLength(3);
    const device = await world.store.findDevice((await readEnrolment(a.database))!.deviceId);
    expect(device?.lastMutationId).toBe(3);
  });

  it('survives a request lost before the server, and a push delivered twice', async () => {
    const a = await world.tablet('A');
    await a.use(() => saveRecord('sessions', 'log1', log('group')));
    a.network.faults = ['lose-request'];
    expect(await problemOf(a.sync())).toBe('offline');
    expect(await serverRecords('sessions')).toHaveLength(0);
    a.network.faults = ['duplicate'];
    await a.sync();
    expect(await serverRecords('sessions')).toHaveLength(1);
    expect(await a.database.outbox.count()).toBe(0);
  });

  it('renumbers its waiting changes when the server reports a gap, then sends them', async () => {
    const a = await world.tablet('A');
    await a.database.syncState.put({ key: 'nextMutationId', value: 40 });
    await a.use(() => saveRecord('sessions', 'log1', log('group')));
    await a.sync();
    expect(await a.database.outbox.count()).toBe(0);
    expect(await serverRecords('sessions')).toHaveLength(1);
  });

  it('sends in batches when much is waiting', async () => {
    const a = await world.tablet('A');
    await a.use(async () => {
      for (let i = 0; i < 120; i += 1) await saveRecord('sessions', `log${i}`, log('walk-in'));
    });
    await syncOnce({ database: a.database, fetch: a.network.fetch, batchSize: 25 });
    expect(a.network.requests.filter((r) => r === 'POST /v1/push')).toHaveLength(5);
    expect(await serverRecords('sessions')).toHaveLength(120);
  });
});

describe('conflicts between tablets', () => {
  it('keeps the later edit of the same field and both edits of different fields, on every tablet', async () => {
    const a = await world.tablet('A');
    const b = await world.tablet('B');
    await a.use(() => saveRecord('sessions', 'log1', log('walk-in'), 1_000));
    await a.sync();
    await b.sync();
    await a.use(() => saveRecord('sessions', 'log1', { format: 'group', outcome: 'with-support' }, 2_000));
    await b.use(() => saveRecord('sessions', 'log1', { format: 'pop-up' }, 3_000));
    await b.use(() => saveRecord('sessions', 'log1', { topics: ['attachments'] }, 3_500));
    await a.sync();
    await b.sync();
    await a.sync();
    for (const tablet of [a, b]) {
      expect(await tablet.database.sessions.get('log1'), tablet.name).toMatchObject({ format: 'pop-up', outcome: 'with-support', topics: ['attachments'] });
    }
    expect(await contents(a, 'sessions')).toEqual(await contents(b, 'sessions'));
  });

  it('carries a delete as a tombstone that a later edit can undo', async () => {
    const a = await world.tablet('A');
    const b = await world.tablet('B');
    await a.use(() => saveRecord('sessions', 'log1', log('walk-in')));
    await a.sync();
    await b.sync();
    await b.use(() => deleteRecord('sessions', 'log1'));
    await b.sync();
    await a.sync();
    expect((await a.database.sessions.get('log1'))?.deleted).toBe(1);
  });

  it('never shows one site the logs of another site', async () => {
    const otherSite = (await import('../../../src/server/admin')).createSite(world.store, world.orgId, 'Asumisyksikkö');
    const a = await world.tablet('A');
    const elsewhere = await world.tablet('C', (await otherSite).id);
    await a.use(() => saveRecord('sessions', 'log1', log('walk-in')));
    await a.use(() =>
      saveRecord('guides', 'g1', {
        slug: 'tulostin',
        lang: 'fi',
        title: 'Tulostin',
        summary: 'Oma ohje',
        category: 'device',
        tags: [],
        source: 'org',
        version: 1,
      }),
    );
    await a.sync();
    await elsewhere.sync();
    expect(await elsewhere.database.sessions.count()).toBe(0);
    expect((await elsewhere.database.guides.get('g1'))?.title).toBe('Tulostin'); // guides belong to the organisation
  });
});

describe('pictures', () => {
  it('uploads a picture before the step that uses it, and the other tablet keeps it for offline use', async () => {
    const a = await world.tablet('A');
    const b = await world.tablet('B');
    const bytes = new Uint8Array([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89,
    ]);
    const hash = Buffer.from(await crypto.subtle.digest('SHA-256', bytes)).toString('hex');
    await a.database.blobs.put({ hash, type: 'image/png', bytes: new Blob([bytes], { type: 'image/png' }), size: bytes.length, uploaded: 0 });
    await a.use(async () => {
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
    await a.sync();
    const putAt = a.network.requests.indexOf(`PUT /v1/blobs/${hash}`);
    expect(putAt).toBeGreaterThanOrEqual(0);
    expect(putAt).toBeLessThan(a.network.requests.indexOf('POST /v1/push'));
    expect((await a.database.blobs.get(hash))?.uploaded).toBe(1);

    await b.sync();
    const stored = await b.database.blobs.get(hash);
    expect(new Uint8Array(await stored!.bytes.arrayBuffer())).toEqual(bytes);
    expect((await b.database.guideSteps.get('s1'))?.imageHash).toBe(hash);
  });
});

describe('when the server says no', () => {
  it('stops a revoked tablet at once and keeps all its data and its outbox', async () => {
    const a = await world.tablet('A');
    await a.use(() => saveRecord('sessions', 'log1', log('walk-in')));
    await revokeDevice(world.store, (await readEnrolment(a.database))!.deviceId, false);
    expect(await problemOf(a.sync())).toBe('revoked');
    expect(await a.database.outbox.count()).toBe(1);
    expect(await a.database.sessions.count()).toBe(1);
  });

  it('tells a tablet revoked with wipe to erase itself', async () => {
    const a = await world.tablet('A');
    await revokeDevice(world.store, (await readEnrolment(a.database))!.deviceId, true);
    const error = await a.sync().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SyncError);
    expect((error as SyncError).problem).toEqual({ code: 'revoked', wipe: true });
  });

  it('says the app must be updated when the server refuses its protocol version', async () => {
    const a = await world.tablet('A');
    const old: typeof fetch = (input, init) => {
      const headers = new Headers(init?.headers);
      headers.set('Digituki-Protocol', '0');
      return a.network.fetch(input, { ...init, headers });
    };
    expect(await problemOf(syncOnce({ database: a.database, fetch: old }))).toBe('update-required');
  });

  it('reports a full disk during a pull, and leaves nothing half-written', async () => {
    const a = await world.tablet('A');
    const b = await world.tablet('B');
    await a.use(async () => {
      await saveRecord('sessions', 'log1', log('walk-in'));
      await saveRecord('sessions', 'log2', log('group'));
    });
    await a.sync();
    let writes = 0;
    const full = () => {
      writes += 1;
      if (writes === 2) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
    b.database.sessions.hook('creating', full);
    expect(await problemOf(b.sync())).toBe('storage-full');
    expect(await b.database.sessions.count()).toBe(0);
    expect(await b.database.syncState.get('pullCursor')).toBeUndefined();
    b.database.sessions.hook('creating').unsubscribe(full);
    await b.sync();
    expect(await b.database.sessions.count()).toBe(2);
  });
});

describe('what the status counts', () => {
  it('counts records waiting, not taps: a log changed many times is one change waiting', async () => {
    const { pendingCount } = await import('../../../src/db/sync');
    const a = await world.tablet('A');
    await a.use(async () => {
      for (const format of ['group', 'walk-in', 'pop-up', 'one-to-one']) await saveRecord('sessions', 'log1', { format });
      await saveRecord('sessions', 'log2', log('group'));
      await addFeedback('fb1', { createdAt: 1_767_000_000_000, lang: 'fi', answers: { mood: 4 } });
    });
    expect(await a.database.outbox.count()).toBe(3); // a log's saves wait as one row (issue 16)
    expect(await pendingCount(a.database)).toBe(3);
    await a.sync();
    expect(await pendingCount(a.database)).toBe(0);
  });
});

describe('the compact wire (issue 16)', () => {
  /** The records every pull answer carried, counted as they come over the wire. */
  function countingPulls(fetchOf: typeof fetch): { fetch: typeof fetch; pulled: string[]; gzipped: number } {
    const seen = { pulled: [] as string[], gzipped: 0, fetch: fetchOf };
    seen.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      if (new Headers(init?.headers).get('content-encoding') === 'gzip') seen.gzipped += 1;
      const response = await fetchOf(input, init);
      if (String(input).includes('/v1/pull'))
        for (const change of ((await response.clone().json()) as { changes: { id: string }[] }).changes) seen.pulled.push(change.id);
      return response;
    }) as typeof fetch;
    return seen;
  }

  it('no echo: a tablet that pushes downloads none of the records it pushed, in this round or the next; a colleague gets them all', async () => {
    const a = await world.tablet('A');
    const b = await world.tablet('B');
    await a.sync();
    await a.use(async () => {
      for (let n = 0; n < 30; n += 1) await saveRecord('sessions', `log${n}`, log('walk-in'));
    });
    const wire = countingPulls(a.network.fetch);
    const result = await syncOnce({ database: a.database, fetch: wire.fetch, batchSize: 7 });
    expect(result.pushed).toBe(30);
    expect(wire.pulled).toEqual([]); // none of the 30 came back
    expect(wire.gzipped).toBe(5); // the pushes went gzip-compressed (30 in batches of 7)
    await syncOnce({ database: a.database, fetch: wire.fetch });
    expect(wire.pulled).toEqual([]);
    await b.sync();
    expect(await contents(b, 'sessions')).toEqual(await contents(a, 'sessions'));
    expect(await b.database.sessions.count()).toBe(30);
  });
});

describe('pulled pages in flight (issue 16)', () => {
  /** B's fetch, with what B held of the logs at the moment each pull was asked for. */
  function watchingPulls(b: Awaited<ReturnType<World['tablet']>>, loseAnswerOfPull?: number) {
    const seen = { heldWhenAsked: [] as number[], fetch: b.network.fetch };
    seen.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      if (!String(input).includes('/v1/pull')) return b.network.fetch(input, init);
      const number = seen.heldWhenAsked.length + 1;
      // Begun before anything else is asked of the database, so it reads what was stored when the page was asked for.
      const held = b.database.sessions.count();
      seen.heldWhenAsked.push(-1);
      const response = await b.network.fetch(input, init);
      seen.heldWhenAsked[number - 1] = await held;
      if (number === loseAnswerOfPull) throw new TypeError('Failed to fetch');
      return response;
    }) as typeof fetch;
    return seen;
  }

  it('asks for the next page while it stores this one, and stores every page, in order, with its cursor', async () => {
    const a = await world.tablet('A');
    const b = await world.tablet('B');
    await a.use(async () => {
      for (let n = 0; n < 25; n += 1) await saveRecord('sessions', `log${String(n).padStart(2, '0')}`, log('walk-in'));
    });
    await a.sync();
    const pulls = watchingPulls(b);
    const result = await syncOnce({ database: b.database, fetch: pulls.fetch, pullLimit: 10 });
    expect(result.pulled).toBe(25);
    // Pages of 10, 10 and 5: the second and third were asked for before the page before them was stored.
    expect(pulls.heldWhenAsked).toEqual([0, 0, 10]);
    expect(await contents(b, 'sessions')).toEqual(await contents(a, 'sessions'));
    const again = watchingPulls(b);
    expect((await syncOnce({ database: b.database, fetch: again.fetch, pullLimit: 10 })).pulled).toBe(0); // the cursor is after the last page
  });

  it('asks for the day’s digest while it stores the last page, and still finds a record the server lacks', async () => {
    const a = await world.tablet('A');
    const b = await world.tablet('B');
    await a.use(async () => {
      for (let n = 0; n < 15; n += 1) await saveRecord('sessions', `log${String(n).padStart(2, '0')}`, log('walk-in'));
    });
    await a.sync();
    // B holds a log the server never got (its outbox row lost): the check must still see it after the last page.
    await b.database.sessions.put({ ...(await a.database.sessions.get('log00'))!, id: 'only-on-b', org: world.orgId, site: world.siteId });
    const asked: string[] = [];
    const watched = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const path = new URL(String(input)).pathname;
      if (path === '/v1/digest') asked.push(`digest (B held ${await b.database.sessions.count()})`);
      else if (path === '/v1/pull') asked.push('pull');
      return b.network.fetch(input, init);
    }) as typeof fetch;
    const result = await syncOnce({ database: b.database, fetch: watched, pullLimit: 10 });
    // Pages of 10 and 5: the digest left once the last page was in, before it was stored (1 + 10 held, not 16).
    expect(asked.slice(0, 3)).toEqual(['pull', 'pull', 'digest (B held 11)']);
    expect(result.repaired).toBe(1);
    expect(await world.store.recordsOfOrganisation(world.orgId, 'sessions')).toHaveLength(16);
  });

  it('keeps the page it was storing when the next page’s answer is lost, and the next round goes on from there', async () => {
    const a = await world.tablet('A');
    const b = await world.tablet('B');
    await a.use(async () => {
      for (let n = 0; n < 25; n += 1) await saveRecord('sessions', `log${String(n).padStart(2, '0')}`, log('group'));
    });
    await a.sync();
    const cut = watchingPulls(b, 2);
    expect(await problemOf(syncOnce({ database: b.database, fetch: cut.fetch, pullLimit: 10 }))).toBe('offline');
    expect(await b.database.sessions.count()).toBe(10); // page one, whole; nothing of page two
    const next = watchingPulls(b);
    expect((await syncOnce({ database: b.database, fetch: next.fetch, pullLimit: 10 })).pulled).toBe(15);
    expect(await contents(b, 'sessions')).toEqual(await contents(a, 'sessions'));
  });
});
