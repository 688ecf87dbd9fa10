// When the app syncs, and what it does after a round fails: one round at a time, the problem shown, a retry after the
// back-off when retrying can help, a retry after the server's Retry-After when it is busy, and none when people must
// act. The network is the only thing replaced (fetch fails or answers as a server would); the database is real.
import { afterEach, beforeEach, describe, expect, vi } from 'vitest';
import { db } from '../../../src/db/db';
import { BACKOFF_BASE_MS } from '../../../src/sync/backoff';
import { resetSyncStatus, syncNow, syncStatus } from '../../../src/sync/runtime';
import { it } from '../support/database';

let requests = 0;
/** The network: every request counted, answered by `answer` (throwing = no connection). */
function network(answer: () => Promise<Response>): void {
  requests = 0;
  vi.stubGlobal('fetch', () => {
    requests += 1;
    return answer();
  });
}
const offline = () => Promise.reject(new TypeError('Failed to fetch'));
const json =
  (status: number, body: unknown, headers: Record<string, string> = {}) =>
  async () =>
    new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

async function enrol(): Promise<void> {
  await db().syncState.put({
    key: 'enrolment',
    value: {
      serverUrl: 'https://digituki.example',
      deviceId: 'device-1',
      org: 'org-1',
      site: 'site-1',
      token: 'token-1',
      deviceName: 'Tabletti',
      enrolledAt: 1,
    },
  });
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] }); // the retry timer; IndexedDB runs on real time
});
afterEach(() => {
  resetSyncStatus();
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('the sync runtime', () => {
  it('does nothing on a tablet that is not enrolled, and schedules nothing', async () => {
    network(offline);
    await syncNow();
    expect(syncStatus.get()).toMatchObject({ enrolled: false, running: false, problem: undefined });
    expect(requests).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('runs one round at a time: a second call while a round runs joins it', async () => {
    await enrol();
    let answer!: (response: Promise<Response>) => void;
    network(() => new Promise<Response>((resolve) => (answer = resolve)));
    const first = syncNow();
    expect(syncNow()).toBe(first);
    await vi.waitFor(() => expect(requests).toBe(1));
    expect(syncStatus.get().running).toBe(true);
    answer(offline());
    await first;
    expect(syncStatus.get()).toMatchObject({ enrolled: true, running: false, problem: { code: 'offline' } });
    expect(requests).toBe(1);
  });

  it('offline: shows it and tries again after the back-off, not before', async () => {
    await enrol();
    network(offline);
    vi.spyOn(Math, 'random').mockReturnValue(0); // the lowest jitter: half the base delay
    await syncNow();
    expect(syncStatus.get().problem).toEqual({ code: 'offline' });
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(BACKOFF_BASE_MS / 2 - 1);
    expect(vi.getTimerCount()).toBe(1); // not yet
    vi.advanceTimersByTime(1);
    await vi.waitFor(() => expect(requests).toBe(2));
  });

  it('busy server: tries again after its Retry-After, not after the back-off', async () => {
    await enrol();
    network(json(429, { error: 'rate_limited', message: 'Too many requests.' }, { 'Retry-After': '120' }));
    await syncNow();
    expect(syncStatus.get().problem).toMatchObject({ code: 'rate-limited', retryAfterSeconds: 120 });
    const before = requests;
    vi.advanceTimersByTime(119_999);
    expect(vi.getTimerCount()).toBe(1);
    expect(requests).toBe(before);
    vi.advanceTimersByTime(1);
    await vi.waitFor(() => expect(requests).toBeGreaterThan(before));
  });

  it('an app too old for the server: says so and does not retry, since only an update helps', async () => {
    await enrol();
    network(json(426, { error: 'protocol_too_old', message: 'Update the app.' }));
    await syncNow();
    expect(syncStatus.get().problem?.code).toBe('update-required');
    expect(vi.getTimerCount()).toBe(0);
  });
});
