// The load bench's tablets (tests/bench/server-load.bench.ts), in a worker thread of their own: their requests,
// JSON and timing never run on the server's event loop, as real tablets never do. Plain JavaScript, so the thread
// needs no TypeScript loader. Given the bodies ready-made; answers with latencies and the moment of the last push.
import { parentPort, workerData } from 'node:worker_threads';

/** @type {{ url: string, tablets: { auth: Record<string, string>, push: string, startsAt: number }[] }} */
const { url, tablets } = workerData;
const latencies = { push: [], pull: [] };

/** One request, timed until its whole answer has arrived; returns the parsed answer. */
async function timed(kind, work) {
  const start = performance.now();
  const response = await work();
  const text = await response.text();
  latencies[kind].push(performance.now() - start);
  if (!response.ok) throw new Error(`${kind} failed: ${response.status} ${text}`);
  return JSON.parse(text);
}

const started = performance.now();
let pushesDone = 0;
let lastPushAnswered = started;
await Promise.all(
  tablets.map(async ({ auth, push, startsAt }) => {
    if (startsAt) await new Promise((resolve) => setTimeout(resolve, startsAt));
    await timed('push', () => fetch(`${url}/v1/push`, { method: 'POST', headers: auth, body: push }));
    pushesDone += 1;
    if (pushesDone === tablets.length) lastPushAnswered = performance.now();
    let cursor;
    for (;;) {
      const query = new URLSearchParams({ limit: '1000', ...(cursor ? { cursor } : {}) });
      const page = await timed('pull', () => fetch(`${url}/v1/pull?${query}`, { headers: auth }));
      cursor = page.cursor;
      if (!page.more) break;
    }
  }),
);
parentPort.postMessage({ latencies, seconds: (performance.now() - started) / 1000, pushSeconds: (lastPushAnswered - started) / 1000 });
