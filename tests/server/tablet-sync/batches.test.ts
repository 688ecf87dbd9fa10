// Push batches measured as the server measures them (UTF-8 bytes of the real body), against the real server
// (in-process, real SQLite file): text in any alphabet syncs, and a smaller limit on the way is met by halving.
import { IDBObjectStore } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { saveRecord } from '../../../src/db/changes';
import { waitingChanges } from '../../../src/db/sync';
import { LIMITS } from '../../../src/protocol';
import { SyncError, syncOnce } from '../../../src/sync/engine';
import { eachTestInAWorld, sentPushBody, sessionLog, type World } from './support';

let world: World;
eachTestInAWorld((made) => {
  world = made;
});

/** 4000 characters of Cyrillic: about 7,300 bytes in UTF-8, twice what a count of characters says. */
const CYRILLIC = 'Нажмите зелёную кнопку принтера и подождите, пока загорится лампочка. '.repeat(58).slice(0, 4000);

/** The mutation ids a push body carries: its own per mutation, or numbered from firstMutationId. */
function idsOf(body: { firstMutationId?: number; mutations: { mutationId?: number }[] }): number[] {
  return body.mutations.map((m, index) => m.mutationId ?? body.firstMutationId! + index);
}

async function countOnServer(table: string): Promise<number> {
  return (await world.store.recordsOfOrganisation(world.orgId, table)).length;
}

describe('push batches by bytes', () => {
  it('sends 500 guide steps of Cyrillic text and every log queued behind them', { timeout: 120_000 }, async () => {
    const a = await world.tablet('A');
    await a.use(async () => {
      await saveRecord('guides', 'g1', { slug: 'printer', lang: 'en', title: 'Принтер', summary: '', category: 'device', tags: [], source: 'org', version: 1 });
      for (let i = 0; i < 500; i += 1) {
        await saveRecord('guideSteps', `s${i}`, { guideId: 'g1', orderKey: `a${String(i).padStart(4, '0')}`, kind: 'step', text: CYRILLIC, alt: '' });
      }
      for (let i = 0; i < 5; i += 1) await saveRecord('sessions', `log${i}`, sessionLog('walk-in'));
    });
    const sizes: number[] = [];
    const measuring: typeof fetch = async (input, init) => {
      if (String(input).endsWith('/v1/push')) sizes.push(new TextEncoder().encode(String(init?.body)).byteLength);
      return a.network.fetch(input, init);
    };
    await syncOnce({ database: a.database, fetch: measuring });
    expect(await countOnServer('guideSteps')).toBe(500);
    expect(await countOnServer('sessions')).toBe(5);
    expect(await a.database.outbox.count()).toBe(0);
    for (const size of sizes) expect(size).toBeLessThanOrEqual(LIMITS.pushBodyBytes);
    expect(sizes.length).toBeGreaterThanOrEqual(4); // about 3.7 MB could not go in fewer
  });

  it('numbers the next batch while a push is on its way, and sends it as numbered', async () => {
    const a = await world.tablet('A');
    await a.use(async () => {
      for (let i = 0; i < 60; i += 1) await saveRecord('sessions', `log${i}`, sessionLog('walk-in'));
    });
    const numberedDuringFirstPush: number[] = [];
    const sentIds: number[][] = [];
    const slowFirstPush: typeof fetch = async (input, init) => {
      if (String(input).endsWith('/v1/push') && sentIds.length === 0) {
        // The first push waits on the wire until the tablet has numbered the changes behind it (or 2 s have passed).
        for (let waited = 0; waited < 2_000; waited += 20) {
          const numbered = (await waitingChanges(a.database)).filter((entry) => entry.mutationId !== undefined).length;
          numberedDuringFirstPush.push(numbered);
          if (numbered >= 50) break;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
      if (String(input).endsWith('/v1/push')) {
        sentIds.push(idsOf(sentPushBody(init)));
      }
      return a.network.fetch(input, init);
    };
    await syncOnce({ database: a.database, fetch: slowFirstPush, batchSize: 25 });
    expect(numberedDuringFirstPush.at(-1), 'changes numbered while the first push was on its way').toBe(50);
    expect(sentIds.map((ids) => [ids[0], ids.at(-1)])).toEqual([
      [1, 25],
      [26, 50],
      [51, 60],
    ]);
    expect(await countOnServer('sessions')).toBe(60);
    expect(await a.database.outbox.count()).toBe(0);
  });

  it('packs the next batch, gzipped, while a push is on its way, and sends that body', async () => {
    const a = await world.tablet('A');
    await a.use(async () => {
      for (let i = 0; i < 40; i += 1) await saveRecord('sessions', `log${i}`, sessionLog('walk-in'));
    });
    const Original = globalThis.CompressionStream;
    let compressed = 0;
    globalThis.CompressionStream = class extends Original {
      constructor(format: CompressionFormat) {
        super(format);
        compressed += 1;
      }
    };
    const compressedDuringFirstPush: number[] = [];
    const sentIds: number[][] = [];
    const slowFirstPush: typeof fetch = async (input, init) => {
      if (String(input).endsWith('/v1/push') && sentIds.length === 0) {
        // The first push waits on the wire until the tablet has compressed the body behind it (or 2 s have passed).
        for (let waited = 0; waited < 2_000 && compressed < 2; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
        compressedDuringFirstPush.push(compressed);
      }
      if (String(input).endsWith('/v1/push')) sentIds.push(idsOf(sentPushBody(init)));
      return a.network.fetch(input, init);
    };
    try {
      await syncOnce({ database: a.database, fetch: slowFirstPush, batchSize: 25 });
    } finally {
      globalThis.CompressionStream = Original;
    }
    expect(compressedDuringFirstPush, 'bodies compressed when the first push was answered').toEqual([2]);
    expect(compressed, 'each body compressed once').toBe(2);
    expect(sentIds.map((ids) => [ids[0], ids.at(-1)])).toEqual([
      [1, 25],
      [26, 40],
    ]);
    expect(await countOnServer('sessions')).toBe(40);
  });

  it('sends the next batch while the answer to the one before is still being settled, and loses no change', async () => {
    const a = await world.tablet('A');
    await a.use(async () => {
      for (let i = 0; i < 60; i += 1) await saveRecord('sessions', `log${i}`, sessionLog('walk-in'));
    });
    // What happened in which order: each push as it leaves, and each acknowledged id as the tablet asks to store it.
    const events: string[] = [];
    const store = IDBObjectStore.prototype as unknown as { put: (value: unknown, key?: IDBValidKey) => IDBRequest };
    const put = store.put;
    store.put = function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
      const row = value as { key?: string; value?: { mutationId?: number } };
      if (this.name === 'syncState' && row.key === 'lastAcknowledged') events.push(`stored ack ${row.value?.mutationId}`);
      return put.call(this, value, key);
    };
    const pushes: typeof fetch = async (input, init) => {
      if (String(input).endsWith('/v1/push')) events.push(`push ${idsOf(sentPushBody(init))[0]}`);
      return a.network.fetch(input, init);
    };
    try {
      expect((await syncOnce({ database: a.database, fetch: pushes, batchSize: 25 })).pushed).toBe(60);
    } finally {
      store.put = put;
    }
    // Each next push left before the acknowledgement of the one before was stored (one after the other, before).
    expect(events).toEqual(['push 1', 'push 26', 'stored ack 25', 'push 51', 'stored ack 50', 'stored ack 60']);
    expect(await countOnServer('sessions')).toBe(60);
    expect(await a.database.outbox.count()).toBe(0);
    expect((await a.database.syncState.get('numbered'))?.value).toBeUndefined();
  });

  it('numbers a push by its first id to a server that takes it, and each change to one that does not', async () => {
    const a = await world.tablet('A');
    await a.use(async () => {
      for (let i = 0; i < 30; i += 1) await saveRecord('sessions', `log${i}`, sessionLog('walk-in'));
    });
    const bodies: { firstMutationId?: number; mutations: { mutationId?: number }[] }[] = [];
    let oldServer = false;
    const watching: typeof fetch = async (input, init) => {
      if (String(input).endsWith('/v1/push')) {
        bodies.push(sentPushBody(init));
      }
      const response = await a.network.fetch(input, init);
      if (!oldServer || !String(input).endsWith('/v1/health')) return response;
      // A server from before this feature: the same health answer without it.
      const health = (await response.json()) as { features: string[] };
      return Response.json({ ...health, features: health.features.filter((name) => name !== 'firstMutationId') });
    };
    await syncOnce({ database: a.database, fetch: watching, batchSize: 20 });
    expect(bodies.map((body) => body.firstMutationId)).toEqual([1, 21]);
    expect(bodies.flatMap((body) => body.mutations).every((m) => m.mutationId === undefined)).toBe(true);
    expect(await countOnServer('sessions')).toBe(30);

    await a.use(async () => {
      for (let i = 30; i < 35; i += 1) await saveRecord('sessions', `log${i}`, sessionLog('walk-in'));
    });
    oldServer = true;
    bodies.length = 0;
    await syncOnce({ database: a.database, fetch: watching, batchSize: 20 });
    expect(bodies.map((body) => [body.firstMutationId, body.mutations.map((m) => m.mutationId)])).toEqual([[undefined, [31, 32, 33, 34, 35]]]);
    expect(await countOnServer('sessions')).toBe(35);
  });

  it('halves the batch when something on the way allows less than the server (413), down to what passes', async () => {
    const a = await world.tablet('A');
    await a.use(async () => {
      for (let i = 0; i < 40; i += 1) await saveRecord('sessions', `log${i}`, { ...sessionLog('walk-in'), note: 'Ё'.repeat(250) });
    });
    const proxyLimit = 6_000; // a proxy in front of the server that takes less than 1 MiB
    const sizes: number[] = [];
    const behindProxy: typeof fetch = async (input, init) => {
      if (String(input).endsWith('/v1/push')) {
        const size = new TextEncoder().encode(String(init?.body)).byteLength;
        sizes.push(size);
        if (size > proxyLimit) return new Response('<html>413 Request Entity Too Large</html>', { status: 413, headers: { 'Content-Type': 'text/html' } });
      }
      return a.network.fetch(input, init);
    };
    await syncOnce({ database: a.database, fetch: behindProxy });
    expect(await countOnServer('sessions')).toBe(40);
    expect(sizes.filter((size) => size > proxyLimit).length).toBeLessThanOrEqual(4); // halved each time, not retried as it was
  });

  it('says a single change is too large instead of trying it again and again', async () => {
    const a = await world.tablet('A');
    await a.use(async () => {
      await saveRecord('sessions', 'log1', sessionLog('walk-in'));
      await saveRecord('sessions', 'log2', sessionLog('group'));
    });
    let pushes = 0;
    const tiny: typeof fetch = async (input, init) => {
      if (String(input).endsWith('/v1/push')) {
        pushes += 1;
        return new Response(JSON.stringify({ error: 'payload_too_large', message: 'too large' }), {
          status: 413,
          headers: { 'Content-Type': 'application/json' },
        });
      }
      return a.network.fetch(input, init);
    };
    const error = await syncOnce({ database: a.database, fetch: tiny }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SyncError);
    expect((error as SyncError).problem).toEqual({ code: 'change-too-large' });
    expect(pushes).toBe(2); // two changes, then one: no loop
    expect(await a.database.outbox.count()).toBe(2); // nothing is thrown away
  });
});
