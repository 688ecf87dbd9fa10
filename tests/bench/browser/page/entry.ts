// Bench-only entry (never in the app bundle): exposes the app's own storage and sync functions, and the raw limits
// they are compared with, to the browser bench (tests/bench/browser/run.ts). Built by the bench in the same run.
import { rememberNewRecord, saveRecord } from '../../../../src/db/changes';
import { db, DigitukiDB, replaceDatabase } from '../../../../src/db/db';
import { applyPulledPage } from '../../../../src/db/sync';
import type { PulledRecord } from '../../../../src/protocol';
import { type PulledChange, wholeStates } from '../../../../src/protocol/responses';
import { enrol, syncOnce } from '../../../../src/sync/engine';
import { logFields, logId } from '../../session-logs';

/** One fetch as the bench saw it: what kind of request, bytes sent and received (compressed, as on the wire). */
interface Exchange {
  path: string;
  sent: number;
  received: number;
  startedAt: number;
  /** When its answer's body was all in (0 until then). */
  answeredAt: number;
}

export interface Phase {
  ms: number;
  requests: number;
  bytesSent: number;
  bytesReceived: number;
  /** Of `ms`, the day's reconciliation check at the end of a round: from its digest request to the round's end. */
  checkMs: number;
  /** When the phase began, in ms since the epoch (performance.timeOrigin-based), so the bench can line up the server's CPU. */
  startedAtEpoch: number;
}

function bodyBytes(body: BodyInit | null | undefined): number {
  if (body == null) return 0;
  if (typeof body === 'string') return new TextEncoder().encode(body).length;
  if (body instanceof Blob) return body.size;
  if (body instanceof ArrayBuffer) return body.byteLength;
  if (ArrayBuffer.isView(body)) return body.byteLength;
  return 0;
}

/** A fetch that records every exchange; response bytes come from Resource Timing (encoded body: gzip as sent). */
function meteredFetch(log: Exchange[]): typeof fetch {
  return async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, location.href);
    const entry: Exchange = { path: url.pathname, sent: bodyBytes(init?.body), received: 0, startedAt: performance.now(), answeredAt: 0 };
    log.push(entry);
    const response = await fetch(input, init);
    const body = await response.arrayBuffer(); // read here so Resource Timing has the whole body
    entry.answeredAt = performance.now();
    const timing = performance.getEntriesByName(url.href, 'resource').at(-1) as PerformanceResourceTiming | undefined;
    entry.received = timing ? timing.encodedBodySize : body.byteLength;
    performance.clearResourceTimings();
    return new Response(response.status === 204 || response.status === 304 ? null : body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}

/** One request on the timeline: when it began and when its answer was all in (ms after its round began), its bytes. */
function exchangeLine(tablet: string, e: Exchange, roundBegan: number): string {
  const began = Math.round(e.startedAt - roundBegan);
  const answered = Math.round(e.answeredAt - roundBegan);
  return `${tablet} +${began} ms, answered +${answered} ms ${e.path} sent ${e.sent} B, received ${e.received} B`;
}

function phase(log: Exchange[], from: number, to: number, ms: number): Phase {
  const part = log.filter((e) => e.startedAt >= from && e.startedAt < to);
  const digest = part.find((e) => e.path === '/v1/digest');
  return {
    ms,
    requests: part.length,
    bytesSent: part.reduce((s, e) => s + e.sent, 0),
    bytesReceived: part.reduce((s, e) => s + e.received, 0),
    checkMs: digest ? from + ms - digest.startedAt : 0,
    startedAtEpoch: performance.timeOrigin + from,
  };
}

function rawDatabase(name: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name, 1);
    request.onupgradeneeded = () => request.result.createObjectStore('sessions', { keyPath: 'id' });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function rawTransaction(database: IDBDatabase, rows: readonly object[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const tx = database.transaction('sessions', 'readwrite');
    const store = tx.objectStore('sessions');
    for (const row of rows) store.put(row);
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
}

/** The fields a log's form saves one by one as they are filled in. */
const EDITED_FIELDS = ['format', 'durationBand', 'channel', 'participants', 'topics', 'outcome', 'barriers', 'note'] as const;

const logs = (count: number) => Array.from({ length: count }, (_, i) => ({ id: logId(i), ...logFields(i) }));
const tabletNames: string[] = [];
let rounds = 0;

async function tablet(name: string, serverUrl: string, code: string): Promise<DigitukiDB> {
  const database = new DigitukiDB(name);
  tabletNames.push(name);
  await enrol(database, { serverUrl, code, deviceName: name }, fetch.bind(globalThis));
  return database;
}

const bench = {
  /**
   * Tablet A saves `count` logs with saveRecord (one per transaction); a raw database puts the same objects. Then the
   * edits, on a tablet E of their own (A's logs go on to sync as they are): `count` saves of one field each, eight in
   * a row per log as its form saves while typed in, on logs E stored before and opens again after a restart; the raw
   * database puts the whole log for each.
   */
  async localWrites(count: number, serverUrl: string, code: string): Promise<{ saveMs: number; rawMs: number; editMs: number; rawEditMs: number }> {
    rounds += 1;
    const a = await tablet(`bench-a-${rounds}`, serverUrl, code);
    replaceDatabase(a);
    const rows = logs(count);
    const now = Date.now();
    let started = performance.now();
    // Each log made as the log screen makes a new one (its id remembered as new), then saved.
    for (const [i, { id, ...fields }] of rows.entries()) await saveRecord('sessions', rememberNewRecord('sessions', id), fields, now + i);
    const saveMs = performance.now() - started;
    const raw = await rawDatabase(`bench-raw-${rounds}`);
    tabletNames.push(`bench-raw-${rounds}`);
    started = performance.now();
    for (const row of rows) await rawTransaction(raw, [row]);
    const rawMs = performance.now() - started;
    const edits = Array.from({ length: count }, (_, n) => {
      const row = rows[Math.floor(n / EDITED_FIELDS.length) % rows.length]!;
      const name = EDITED_FIELDS[n % EDITED_FIELDS.length]!;
      return { id: row.id, field: { [name]: row[name] }, row };
    });
    const edited = [...new Set(edits.map((edit) => edit.row))];
    const before = new DigitukiDB(`bench-e-${rounds}`);
    tabletNames.push(`bench-e-${rounds}`);
    replaceDatabase(before);
    for (const { id, ...fields } of edited) await saveRecord('sessions', id, fields, now);
    before.close();
    replaceDatabase(new DigitukiDB(`bench-e-${rounds}`)); // the restart: this connection has written nothing yet
    started = performance.now();
    for (const [n, { id, field }] of edits.entries()) await saveRecord('sessions', id, field, now + count + n);
    const editMs = performance.now() - started;
    db().close();
    replaceDatabase(a);
    started = performance.now();
    for (const { row } of edits) await rawTransaction(raw, [row]);
    const rawEditMs = performance.now() - started;
    raw.close();
    return { saveMs, rawMs, editMs, rawEditMs };
  },

  /** A (holding the logs saved by localWrites) syncs: push, then its pull right after (the echo); a fresh B pulls. */
  async sync(count: number, serverUrl: string, codeB: string): Promise<{ push: Phase; echo: Phase; pull: Phase; pages: PulledRecord[][]; timeline: string[] }> {
    const a = new DigitukiDB(`bench-a-${rounds}`);
    const log: Exchange[] = [];
    performance.setResourceTimingBufferSize(100_000);
    let started = performance.now();
    await syncOnce({ database: a, fetch: meteredFetch(log) });
    const ended = performance.now();
    const firstPull = log.find((e) => e.path === '/v1/pull')?.startedAt ?? ended;
    const push = phase(log, started, firstPull, firstPull - started);
    const echo = phase(log, firstPull, ended + 1, ended - firstPull);
    const b = await tablet(`bench-b-${rounds}`, serverUrl, codeB);
    const pullLog: Exchange[] = [];
    started = performance.now();
    await syncOnce({ database: b, fetch: meteredFetch(pullLog) });
    const pull = phase(pullLog, started, Infinity, performance.now() - started);
    // Each request of A's round and then B's: when it began (ms after its round began), its path and its bytes.
    const timeline = [
      ...log.map((e) => exchangeLine('A', e, log[0]!.startedAt)),
      ...pullLog.map((e) => exchangeLine('B', e, started)),
      `B's round ended at +${Math.round(pull.ms)} ms`,
    ];
    const received = await b.sessions.count();
    if (received !== count) throw new Error(`tablet B has ${received} logs, not ${count}`);
    a.close();
    b.close();
    return { push, echo, pull, pages: [], timeline };
  },

  /** The limit of the sync: one POST and one GET of the same logs as JSON, and one IndexedDB transaction storing them. */
  async plain(count: number, plainUrl: string): Promise<Phase & { gzipBytes: number }> {
    const document = JSON.stringify(logs(count));
    const log: Exchange[] = [];
    const doFetch = meteredFetch(log);
    const raw = await rawDatabase(`bench-plain-${rounds}`);
    tabletNames.push(`bench-plain-${rounds}`);
    const started = performance.now();
    // text/plain keeps both requests "simple" (no CORS preflight): the plain server is on its own port.
    await doFetch(`${plainUrl}/logs`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: document });
    const received = (await (await doFetch(`${plainUrl}/logs`)).json()) as object[];
    await rawTransaction(raw, received);
    const ms = performance.now() - started;
    raw.close();
    if (received.length !== count) throw new Error('the plain GET lost logs');
    const gzipBytes = (await new Response(new Blob([document]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer()).byteLength;
    return { ...phase(log, started, Infinity, ms), gzipBytes };
  },

  /** Pulled pages as a fresh tablet receives them (not timed): for the pull-page comparison. */
  async capturePages(serverUrl: string, code: string): Promise<number> {
    const c = await tablet(`bench-c-${rounds}`, serverUrl, code);
    const pages: PulledRecord[][] = [];
    const capture: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (!url.includes('/v1/pull')) return response;
      const text = await response.text();
      // As the engine hands them on: compact clocks expanded to one per field (wholeStates).
      const body = JSON.parse(text) as { changes: PulledChange[]; compactClocks?: boolean };
      pages.push(wholeStates(body.changes, body.compactClocks === true));
      return new Response(text, { status: response.status, headers: response.headers });
    };
    await syncOnce({ database: c, fetch: capture, pullLimit: 500 });
    c.close();
    captured = pages.filter((page) => page.length > 0);
    return captured.reduce((sum, page) => sum + page.length, 0);
  },

  /** applyPulledPage on a fresh tablet, page by page, vs Dexie bulkPut of the same pages. */
  async pullPages(): Promise<{ applyMs: number; bulkPutMs: number; pages: number }> {
    rounds += 1;
    const place = { org: 'bench-org', site: 'bench-site' };
    const target = new DigitukiDB(`bench-apply-${rounds}`);
    tabletNames.push(`bench-apply-${rounds}`);
    await target.open();
    let started = performance.now();
    for (const page of captured) await applyPulledPage(target, page, 'cursor', place);
    const applyMs = performance.now() - started;
    // The rows the pages become (fields at the top, as a tablet stores them), made before the clock starts.
    const stored = captured.map((page) => page.map((change) => ({ ...change.fields, id: change.id, hlc: change.hlc, fieldClocks: change.fieldClocks })));
    const plainDexie = new DigitukiDB(`bench-bulkput-${rounds}`);
    tabletNames.push(`bench-bulkput-${rounds}`);
    await plainDexie.open();
    started = performance.now();
    for (const rows of stored) await plainDexie.sessions.bulkPut(rows as never);
    const bulkPutMs = performance.now() - started;
    target.close();
    plainDexie.close();
    return { applyMs, bulkPutMs, pages: captured.length };
  },

  /** Deletes the databases of the finished rounds, so later rounds do not run on a fuller disk. */
  async cleanUp(): Promise<void> {
    const names = tabletNames.splice(0);
    await Promise.all(
      names.map(
        (name) =>
          new Promise((resolve) => {
            const request = indexedDB.deleteDatabase(name);
            request.onsuccess = request.onerror = request.onblocked = () => resolve(undefined);
          }),
      ),
    );
  },
};
let captured: PulledRecord[][] = [];

declare global {
  interface Window {
    bench: typeof bench;
  }
}
window.bench = bench;
