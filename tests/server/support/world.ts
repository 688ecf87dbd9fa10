// Test support: two organisations with their sites and enrolled tablets, and a typed client of the sync API over app.request().
import { tmpdir } from 'node:os';
import { Writable } from 'node:stream';
import type { Hono } from 'hono';
import { PROTOCOL_HEADER, PROTOCOL_VERSION, serializeHlc, type EnrolResponse, type PullResponse, type PushResponse } from '../../../src/protocol';
import { createEnrolmentCode, createOrganisation, createSite } from '../../../src/server/admin';
import { createApp, type AppOptions } from '../../../src/server/app';
import { createLogger } from '../../../src/server/log';
import type { Store } from '../../../src/server/store';

export const T0 = 1_767_000_000_000; // a fixed "now" so clocks in tests are easy to read

export function hlcAt(wallMs: number, node = 'tablet', counter = 0): string {
  return serializeHlc({ wallMs, counter, node });
}

/** Collects log lines so tests can check what the server writes down. */
export function captureLogs(): { logger: ReturnType<typeof createLogger>; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: createLogger('info', stream), lines };
}

export function makeApp(store: Store, options: Partial<AppOptions> = {}): Hono {
  return createApp({ staticDir: tmpdir(), version: 'test', store, logger: createLogger('silent'), ...options }) as unknown as Hono;
}

/** A v1 tablet (enrolled without a key): it holds the bearer token the server gave. Protocol v2 tablets: auth.test.ts. */
export interface Tablet extends Omit<EnrolResponse, 'token'> {
  token: string;
  push(
    mutations: unknown[],
    extra?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: PushResponse & { error?: string; expected?: number } }>;
  pull(cursor?: string, limit?: number): Promise<{ status: number; body: PullResponse & { error?: string } }>;
  /** Pulls every page from the cursor and returns the final cursor and every change. */
  pullAll(cursor?: string, limit?: number): Promise<{ cursor: string; changes: PullResponse['changes']; pages: number }>;
  request(path: string, init?: RequestInit): Promise<Response>;
  nextMutationId: number;
}

export function headers(token?: string, extra: Record<string, string> = {}): Record<string, string> {
  return { [PROTOCOL_HEADER]: String(PROTOCOL_VERSION), ...(token ? { Authorization: `Bearer ${token}` } : {}), ...extra };
}

export async function enrol(app: Hono, code: string, deviceName = 'Olohuone tablet'): Promise<Tablet> {
  const response = await app.request('/v1/enrol', {
    method: 'POST',
    headers: headers(undefined, { 'Content-Type': 'application/json' }),
    body: JSON.stringify({ code, deviceName }),
  });
  if (response.status !== 201) throw new Error(`enrolment failed: ${response.status} ${await response.text()}`);
  return tabletOf(app, (await response.json()) as EnrolResponse & { token: string });
}

export function tabletOf(app: Hono, enrolled: EnrolResponse & { token: string }): Tablet {
  const request = async (path: string, init: RequestInit = {}) =>
    app.request(path, { ...init, headers: { ...headers(enrolled.token), ...(init.headers as Record<string, string>) } });
  const tablet: Tablet = {
    ...enrolled,
    nextMutationId: 1,
    request,
    async push(mutations, extra = {}, more = {}) {
      const response = await request('/v1/push', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...more },
        body: JSON.stringify({ protocol: 1, mutations, ...extra }),
      });
      return { status: response.status, body: (await response.json()) as never };
    },
    async pull(cursor, limit) {
      const query = new URLSearchParams();
      if (cursor !== undefined) query.set('cursor', cursor);
      if (limit !== undefined) query.set('limit', String(limit));
      const response = await request(`/v1/pull?${query}`);
      return { status: response.status, body: (await response.json()) as never };
    },
    async pullAll(cursor, limit) {
      const changes: PullResponse['changes'] = [];
      let pages = 0;
      for (;;) {
        const { status, body } = await tablet.pull(cursor, limit);
        if (status !== 200) throw new Error(`pull failed: ${status} ${JSON.stringify(body)}`);
        pages += 1;
        changes.push(...body.changes);
        cursor = body.cursor;
        if (!body.more) return { cursor: body.cursor, changes, pages };
      }
    },
  };
  return tablet;
}

/** A mutation with the next mutationId of this tablet. */
export function change(tablet: Tablet, table: string, id: string, fields: Record<string, unknown>, hlc = hlcAt(T0, 'tablet', tablet.nextMutationId)) {
  return { mutationId: tablet.nextMutationId++, table, id, hlc, fields };
}

export interface World {
  app: Hono;
  orgA: string;
  orgB: string;
  siteA1: string;
  siteA2: string;
  siteB1: string;
  /** Two tablets at site A1, one at A2, one in the other organisation. */
  a1: Tablet;
  a1b: Tablet;
  a2: Tablet;
  b1: Tablet;
}

export async function buildWorld(store: Store, options: Partial<AppOptions> = {}): Promise<World> {
  const app = makeApp(store, { now: () => T0, ...options });
  const orgA = await createOrganisation(store, 'Helsingin Diakonissalaitos', T0);
  const orgB = await createOrganisation(store, 'Toinen järjestö', T0);
  const siteA1 = await createSite(store, orgA.id, 'Päiväkeskus Kallio', T0);
  const siteA2 = await createSite(store, orgA.id, 'Asumisyksikkö Itä', T0);
  const siteB1 = await createSite(store, orgB.id, 'Asukastalo', T0);
  const code = async (siteId: string) => (await createEnrolmentCode(store, siteId, 24, T0)).code;
  return {
    app,
    orgA: orgA.id,
    orgB: orgB.id,
    siteA1: siteA1.id,
    siteA2: siteA2.id,
    siteB1: siteB1.id,
    a1: await enrol(app, await code(siteA1.id)),
    a1b: await enrol(app, await code(siteA1.id)),
    a2: await enrol(app, await code(siteA2.id)),
    b1: await enrol(app, await code(siteB1.id)),
  };
}

export const GUIDE = {
  slug: 'kela-liite',
  lang: 'fi',
  title: 'Liitteen lähettäminen Kelaan',
  summary: 'OmaKela',
  category: 'authorities',
  tags: ['kela'],
  source: 'org',
  version: 1,
  deleted: 0,
};
export const SESSION = {
  status: 'final',
  startedAt: T0,
  format: 'walk-in',
  channel: 'in-person',
  participants: { member: { new: 1, returning: 2 } },
  topics: ['attachments'],
  deleted: 0,
};
export const FEEDBACK = { createdAt: T0, lang: 'fi', answers: { mood: 5, got: ['attachments'] } };
