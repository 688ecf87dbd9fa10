// `npm run bench:browser`: the tablet's speed in a real Chromium (real IndexedDB) against the real server on loopback,
// each step beside its limit measured in the same run: local writes vs raw IndexedDB puts, sync vs one POST + GET + one
// transaction, pulled pages vs Dexie bulkPut, an offline cold start and Lighthouse vs a blank PWA built here.
// Prints medians of BENCH_RUNS runs (5) and the machine's load; never asserts a time. BENCH_LOGS scales the logs.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { compress } from 'hono/compress';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build as viteBuild } from 'vite';
import { createEnrolmentCode, createOrganisation, createSite } from '../../../src/server/admin';
import { readConfig } from '../../../src/server/config';
import { createLogger } from '../../../src/server/log';
import { startServer, type RunningServer } from '../../../src/server/main';
import { CHROMIUM_ARGS, findChromium } from '../../e2e/support/chromium';
import { build as buildApp } from '../../e2e/support/global-setup';
import { runLighthouse, type LighthouseScores } from './lighthouse';
import type { Phase } from './page/entry';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const LOGS = Number(process.env.BENCH_LOGS ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const CPU_SLOWDOWN = 4;
/** BENCH_PROFILE=1: the first run's sync requests on a timeline, and CPU profiles of its saves and sync (an unminified page). */
const PROFILE = Boolean(process.env.BENCH_PROFILE);
const PROFILE_DIR = join(fileURLToPath(new URL('../../..', import.meta.url)), '.tmp', 'bench-profile');
const UNLIMITED = { burst: 1e9, perSecond: 1e9 };

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const msText = (ms: number) => `${Math.round(ms)} ms`;
const kb = (bytes: number) => `${(bytes / 1000).toFixed(0)} kB`;
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

/** Samples the 1-minute load average every 2 s, so the numbers can be read against how busy the machine was. */
function watchLoad(during = 'the run') {
  const samples = [loadavg()[0]!];
  const timer = setInterval(() => samples.push(loadavg()[0]!), 2000);
  return () => {
    clearInterval(timer);
    samples.push(loadavg()[0]!);
    return (
      `load average (1 min) during ${during}: min ${Math.min(...samples).toFixed(2)}, median ${median(samples).toFixed(2)}, ` +
      `max ${Math.max(...samples).toFixed(2)} on ${cpus().length} cores`
    );
  };
}

/**
 * The server runs in this process: its CPU time (all threads, so compression on the pool too) is sampled every few
 * ms, so a phase's share of it can be read off by the phase's wall-clock times. The page's clocks and this one are the
 * same machine's epoch. Playwright's client adds a little while a page works; it is idle then.
 */
function watchServerCpu() {
  const samples: [at: number, cpuMs: number][] = [];
  const sample = () => {
    const { user, system } = process.cpuUsage();
    samples.push([performance.timeOrigin + performance.now(), (user + system) / 1000]);
  };
  sample();
  const timer = setInterval(sample, 5);
  /** CPU ms at an epoch time, between the samples around it. */
  const at = (time: number): number => {
    const after = samples.findIndex(([when]) => when >= time);
    if (after <= 0) return after === 0 ? samples[0]![1] : samples.at(-1)![1];
    const [t0, c0] = samples[after - 1]!;
    const [t1, c1] = samples[after]!;
    return c0 + ((c1 - c0) * (time - t0)) / Math.max(1, t1 - t0);
  };
  return {
    /** The server process's CPU ms from `from` (epoch ms) for `ms`. */
    during: (from: number, ms: number) => {
      sample();
      return at(from + ms) - at(from);
    },
    stop: () => clearInterval(timer),
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** The sync's limit on the wire: a server that keeps one POSTed JSON document and gives it back, gzip, like ours. */
async function startPlainServer(): Promise<{ url: string; close: () => void }> {
  let stored = '';
  const app = new Hono();
  app.use('*', compress());
  app.use('*', async (c, next) => {
    await next();
    c.header('Access-Control-Allow-Origin', '*');
    c.header('Timing-Allow-Origin', '*'); // so the page can read the compressed size from Resource Timing
  });
  app.post('/logs', async (c) => {
    stored = await c.req.text();
    return c.json({ ok: true });
  });
  app.get('/logs', (c) => c.body(stored, 200, { 'Content-Type': 'application/json' }));
  const port = await freePort();
  const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' });
  return { url: `http://127.0.0.1:${port}`, close: () => server.close() };
}

async function startRealServer(root: string, name: string, staticDir: string): Promise<RunningServer> {
  return startServer(readConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: join(root, `${name}-data`), STATIC_DIR: staticDir }), 'bench', {
    logger: createLogger('silent'),
    deviceRateLimit: UNLIMITED,
    enrolRateLimit: UNLIMITED,
  });
}

async function buildAll(root: string): Promise<{ app: string; blank: string }> {
  const app = join(root, 'app');
  const blank = join(root, 'blank');
  buildApp(app, 'bench-browser');
  // The bench page goes beside the app (same origin as the sync API), never into the app's own bundle.
  await viteBuild({
    configFile: false,
    root: join(HERE, 'page'),
    base: '/bench/',
    logLevel: 'error',
    define: { __APP_VERSION__: '"bench"', __BUILD_ID__: '"bench"', __GUIDE_CONTENT_VERSION__: '"bench"' },
    build: { target: 'es2022', outDir: join(app, 'bench'), emptyOutDir: true, minify: !PROFILE },
  });
  process.env.BLANK_PWA_OUT_DIR = blank;
  await viteBuild({ configFile: join(HERE, 'blank-pwa', 'vite.config.ts'), mode: 'production' });
  return { app, blank };
}

interface DataRound {
  saveMs: number;
  rawMs: number;
  editMs: number;
  rawEditMs: number;
  push: Phase;
  echo: Phase;
  pull: Phase;
  plain: Phase & { gzipBytes: number };
  /** The server process's CPU during A's push and during B's pull. */
  pushServerMs: number;
  pullServerMs: number;
  applyMs: number;
  bulkPutMs: number;
  pages: number;
}

async function dataRounds(browser: Browser, server: RunningServer, plainUrl: string): Promise<DataRound[]> {
  // The server's CSP allows connections to itself only; the bench page also talks to the plain server.
  const context = await browser.newContext({ bypassCSP: true, serviceWorkers: 'block' });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('bench page error:', error.message));
  await page.goto(`${server.url}/bench/index.html`);
  await page.waitForFunction(() => 'bench' in window);
  const rounds: DataRound[] = [];
  const serverCpu = watchServerCpu();
  for (let run = 1; run <= RUNS; run += 1) {
    // A new organisation each run, so every run pushes into the same empty server state.
    const organisation = await createOrganisation(server.store, `Bench ${run}`);
    const site = await createSite(server.store, organisation.id, 'Site');
    const code = async () => (await createEnrolmentCode(server.store, site.id)).code;
    const [codeA, codeB, codeC] = [await code(), await code(), await code()];
    const profiled = PROFILE && run === 1 ? profileOf(page) : <T>(_: string, work: () => Promise<T>) => work();
    const local = await profiled('saves', () => page.evaluate(([n, url, c]) => window.bench.localWrites(n, url, c), [LOGS, server.url, codeA] as const));
    const sync = await profiled('sync', () => page.evaluate(([n, url, c]) => window.bench.sync(n, url, c), [LOGS, server.url, codeB] as const));
    if (PROFILE && run === 1) console.log(`  requests of run 1:\n${sync.timeline.map((line) => `    ${line}`).join('\n')}`);
    const plain = await page.evaluate(([n, url]) => window.bench.plain(n, url), [LOGS, plainUrl] as const);
    if (run === 1) await page.evaluate(([url, c]) => window.bench.capturePages(url, c), [server.url, codeC] as const);
    const pages = await page.evaluate(() => window.bench.pullPages());
    await page.evaluate(() => window.bench.cleanUp());
    const pushServerMs = serverCpu.during(sync.push.startedAtEpoch, sync.push.ms);
    const pullServerMs = serverCpu.during(sync.pull.startedAtEpoch, sync.pull.ms);
    rounds.push({ ...local, push: sync.push, echo: sync.echo, pull: sync.pull, plain, pushServerMs, pullServerMs, ...pages });
    console.log(
      `  data run ${run}/${RUNS}: saves ${s(local.saveMs)}, raw ${s(local.rawMs)}, edits ${s(local.editMs)}, raw ${s(local.rawEditMs)}, ` +
        `push ${s(sync.push.ms)}, echo ${s(sync.echo.ms)}, ` +
        `pull ${s(sync.pull.ms)}, plain ${s(plain.ms)}, apply ${s(pages.applyMs)}, bulkPut ${s(pages.bulkPutMs)}; ` +
        `server CPU in the push ${s(pushServerMs)}, in the pull ${s(pullServerMs)}`,
    );
  }
  serverCpu.stop();
  await context.close();
  return rounds;
}

/** Runs a step under Chromium's sampling profiler and writes its profile where DevTools can open it. */
function profileOf(page: Page) {
  return async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.start');
    const result = await work();
    const { profile } = await cdp.send('Profiler.stop');
    mkdirSync(PROFILE_DIR, { recursive: true });
    const file = join(PROFILE_DIR, `${name}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    console.log(`  CPU profile of the ${name}: ${file}`);
    await cdp.detach();
    return result;
  };
}

/** Records when the first <h1> with text is on screen (the frame after it enters the page). */
const HEADING_CLOCK = `(() => {
  const seen = () => { const h = document.querySelector('h1, p'); return h && h.textContent.trim() !== ''; };
  const observer = new MutationObserver(() => {
    if (!seen()) return;
    observer.disconnect();
    requestAnimationFrame(() => { window.__textAt = performance.now(); });
  });
  observer.observe(document, { childList: true, subtree: true, characterData: true });
})();`;

interface ColdStart {
  fcp: number;
  text: number;
}

/**
 * Lighthouse is asked for on a quiet machine (issue 16, goal 5): after the data rounds and the builds, waits until the
 * 1-minute load average is below one busy core, at most QUIET_WAIT_MS. Returns how long it waited and the load then.
 */
const QUIET_LOAD = 1;
const QUIET_WAIT_MS = 180_000;
async function quietMachine(): Promise<string> {
  const started = Date.now();
  while (loadavg()[0]! >= QUIET_LOAD && Date.now() - started < QUIET_WAIT_MS) await new Promise((resolve) => setTimeout(resolve, 2000));
  return `waited ${Math.round((Date.now() - started) / 1000)} s for a quiet machine: load average (1 min) ${loadavg()[0]!.toFixed(2)}`;
}

/** Installs the app (service worker and all it caches), then measures reloads with the network off and a slow CPU. */
async function coldStarts(
  browser: Browser,
  url: string,
  ready: (page: Page) => Promise<void>,
): Promise<{ measure: () => Promise<ColdStart>; close: () => Promise<void> }> {
  const context = await browser.newContext({ serviceWorkers: 'allow', locale: 'fi-FI', viewport: { width: 1024, height: 768 } });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('page error:', error.message));
  await page.goto(url, { waitUntil: 'networkidle' });
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller)
      await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
  });
  await page.reload({ waitUntil: 'networkidle' }); // a controlled visit: whatever the worker caches at run time is in
  await ready(page);
  await context.setOffline(true);
  await page.addInitScript(HEADING_CLOCK);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  const measure = async () => {
    await page.reload({ waitUntil: 'load' });
    await page.waitForFunction(
      () => performance.getEntriesByName('first-contentful-paint').length > 0 && (window as unknown as { __textAt?: number }).__textAt !== undefined,
    );
    return page.evaluate(() => ({
      fcp: performance.getEntriesByName('first-contentful-paint')[0]!.startTime,
      text: (window as unknown as { __textAt: number }).__textAt,
    }));
  };
  return { measure, close: () => context.close() };
}

async function main() {
  const load = watchLoad();
  const root = mkdtempSync(join(tmpdir(), 'digituki-bench-browser-'));
  // A profiled run keeps its build, so the profiles' line numbers can be looked up in it.
  const closers: (() => unknown)[] = PROFILE ? [() => console.log(`  the profiled build: ${root}`)] : [() => rmSync(root, { recursive: true, force: true })];
  try {
    console.log(`Building the app, the bench page and the blank PWA…`);
    const built = await buildAll(root);
    const server = await startRealServer(root, 'app', built.app);
    closers.unshift(() => server.close());
    const blankServer = await startRealServer(root, 'blank', built.blank);
    closers.unshift(() => blankServer.close());
    const plain = await startPlainServer();
    closers.unshift(() => plain.close());
    const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
    closers.unshift(() => browser.close());

    console.log(`Data: ${LOGS.toLocaleString('en')} session logs, ${RUNS} runs`);
    const data = process.env.BENCH_SKIP_DATA ? [] : await dataRounds(browser, server, plain.url);

    console.log(`Offline cold start: ${RUNS} reloads each, network off, CPU ${CPU_SLOWDOWN}× slower`);
    const appStart = await coldStarts(browser, server.url, async (page) => {
      await page.getByRole('heading', { level: 1 }).waitFor();
      await page.waitForFunction(() => document.querySelector('.tiles') !== null); // built-in guides loaded
    });
    const blankStart = await coldStarts(browser, blankServer.url, async (page) => {
      await page.getByText('Tervetuloa').waitFor();
    });
    const starts: { app: ColdStart; blank: ColdStart }[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      starts.push({ app: await appStart.measure(), blank: await blankStart.measure() }); // interleaved: same load for both
      console.log(`  cold start ${run + 1}/${RUNS}: app FCP ${msText(starts.at(-1)!.app.fcp)}, blank FCP ${msText(starts.at(-1)!.blank.fcp)}`);
    }

    // Nothing of the earlier steps keeps working beside Lighthouse: the cold starts' pages (and their workers) go.
    await appStart.close();
    await blankStart.close();
    const lighthouse: { app: LighthouseScores; blank: LighthouseScores }[] = [];
    let lighthouseLoad = '';
    if (!process.env.BENCH_SKIP_LIGHTHOUSE) {
      console.log(`Lighthouse (mobile, first visit): ${RUNS} runs each; ${await quietMachine()}`);
      const lighthouseLoadNow = watchLoad('the Lighthouse runs');
      for (let run = 0; run < RUNS; run += 1) {
        lighthouse.push({ app: await runLighthouse(`${server.url}/`), blank: await runLighthouse(`${blankServer.url}/`) });
        const { app, blank } = lighthouse.at(-1)!;
        console.log(
          `  Lighthouse ${run + 1}/${RUNS}: app performance ${app.performance}, FCP ${msText(app.fcp)}, CLS ${app.cls.toFixed(3)}; ` +
            `blank performance ${blank.performance}, FCP ${msText(blank.fcp)}`,
        );
      }
      lighthouseLoad = lighthouseLoadNow();
    }

    const lines = [``, `Browser bench (real Chromium ${browser.version()}, real server on loopback, SQLite), medians of ${RUNS} runs`];
    if (data.length) {
      const m = (pick: (r: DataRound) => number) => median(data.map(pick));
      const save = m((r) => r.saveMs);
      const raw = m((r) => r.rawMs);
      const edit = m((r) => r.editMs);
      const rawEdit = m((r) => r.rawEditMs);
      const push = m((r) => r.push.ms);
      const echo = m((r) => r.echo.ms);
      const pull = m((r) => r.pull.ms);
      const plainMs = m((r) => r.plain.ms);
      const bytes = (p: Phase) => p.bytesSent + p.bytesReceived;
      const phaseLine = (name: string, pick: (r: DataRound) => Phase) =>
        `    ${name.padEnd(6)} ${s(m((r) => pick(r).ms)).padStart(9)}  ${String(m((r) => pick(r).requests)).padStart(4)} requests  sent ` +
        `${kb(m((r) => pick(r).bytesSent))}, received ${kb(m((r) => pick(r).bytesReceived))}`;
      const syncBytes = m((r) => bytes(r.push) + bytes(r.pull));
      const plainBytes = m((r) => bytes(r.plain));
      lines.push(
        `  local writes, ${LOGS} saves one per transaction: saveRecord ${s(save)} vs raw IndexedDB put ${s(raw)}  →  local-write ratio ${ratio(save, raw)}`,
        `  local edits, ${LOGS} saves of one field, 8 in a row per log: saveRecord ${s(edit)} vs raw put of the log ${s(rawEdit)}  →  ` +
          `edit ratio ${ratio(edit, rawEdit)}`,
        `  sync A → server → fresh B:`,
        phaseLine('push', (r) => r.push),
        phaseLine('echo', (r) => r.echo),
        phaseLine('pull', (r) => r.pull),
        // A tablet checks its data against the server's once a day, at the end of its first round: both rounds here are.
        `    of which the day's reconciliation check: A ${s(m((r) => r.echo.checkMs))}, B ${s(m((r) => r.pull.checkMs))}`,
        phaseLine('plain', (r) => r.plain) + `  (POST + GET + one IndexedDB transaction; the JSON gzips to ${kb(m((r) => r.plain.gzipBytes))})`,
        `    sync ratio (push + pull) / plain: ${ratio(push + pull, plainMs)};  with the echo: ${ratio(push + echo + pull, plainMs)};  ` +
          `without B's daily check: ${ratio(push + pull - m((r) => r.pull.checkMs), plainMs)}`,
        // The issue asks for ratios in one run: each run's own, so a run's load weighs on both sides of its ratio.
        `    sync ratio of each run: ${data.map((r) => ratio(r.push.ms + r.pull.ms, r.plain.ms)).join(', ')} (median ${ratio(
          m((r) => (r.push.ms + r.pull.ms) / r.plain.ms),
          1,
        )});  without B's daily check: median ${ratio(
          m((r) => (r.push.ms + r.pull.ms - r.pull.checkMs) / r.plain.ms),
          1,
        )}`,
        // Each way carries the logs once: the push and the pull each against the gzipped JSON of the logs.
        `    bytes (push + pull) / plain: ${ratio(syncBytes, plainBytes)};  push / gzipped JSON: ${ratio(
          m((r) => bytes(r.push)),
          m((r) => r.plain.gzipBytes),
        )};  pull / gzipped JSON: ${ratio(
          m((r) => bytes(r.pull)),
          m((r) => r.plain.gzipBytes),
        )};  echo received ${kb(m((r) => r.echo.bytesReceived))}`,
        // What no tablet-side work can take away: the server's own CPU for the push (applying it), and storing the pulled
        // logs in the app's indexed store (Dexie bulkPut of the same pages, below).
        `    server process CPU: in the push ${s(m((r) => r.pushServerMs))}, in the pull ${s(m((r) => r.pullServerMs))};  ` +
          `the push's server CPU + bulkPut of the pulled pages: ${s(m((r) => r.pushServerMs + r.bulkPutMs))} = ${ratio(
            m((r) => r.pushServerMs + r.bulkPutMs),
            plainMs,
          )} the plain transfer`,
        `  pulled pages of 500 (${data[0]!.pages} pages): ` +
          `applyPulledPage ${s(m((r) => r.applyMs))} vs Dexie bulkPut ${s(m((r) => r.bulkPutMs))}  →  pull-page ratio ${ratio(
            m((r) => r.applyMs),
            m((r) => r.bulkPutMs),
          )}`,
      );
    }
    const fcpApp = median(starts.map((x) => x.app.fcp));
    const fcpBlank = median(starts.map((x) => x.blank.fcp));
    const textApp = median(starts.map((x) => x.app.text));
    const textBlank = median(starts.map((x) => x.blank.text));
    lines.push(
      `  offline cold start, CPU ${CPU_SLOWDOWN}×: ` +
        `first contentful paint app ${msText(fcpApp)} vs blank PWA ${msText(fcpBlank)}  →  cold-start ratio ${ratio(fcpApp, fcpBlank)}`,
      `    first text on screen (frame after it is in the page): app ${msText(textApp)} vs blank ${msText(textBlank)}  →  ${ratio(textApp, textBlank)}`,
    );
    if (lighthouse.length) {
      const lh = (who: 'app' | 'blank', pick: (x: LighthouseScores) => number) => median(lighthouse.map((x) => pick(x[who])));
      for (const who of ['app', 'blank'] as const) {
        lines.push(
          `  Lighthouse mobile, ${who === 'app' ? 'participant home' : 'blank PWA       '}: performance ${lh(who, (x) => x.performance)}, ` +
            `best-practices ${lh(who, (x) => x.bestPractices)}, CLS ${lh(who, (x) => x.cls).toFixed(3)}, FCP ${msText(lh(who, (x) => x.fcp))}, ` +
            `LCP ${msText(lh(who, (x) => x.lcp))}, TBT ${msText(lh(who, (x) => x.tbt))}`,
        );
      }
      lines.push(
        `    FCP ratio app / blank: ${ratio(
          lh('app', (x) => x.fcp),
          lh('blank', (x) => x.fcp),
        )}`,
      );
      const flagged = new Map<string, number>();
      for (const id of lighthouse.flatMap((x) => x.app.failing.map((audit) => audit.split(' ')[0]!))) flagged.set(id, (flagged.get(id) ?? 0) + 1);
      if (flagged.size)
        lines.push(`    audits the app fails (in how many of ${lighthouse.length} runs): ${[...flagged].map(([id, runs]) => `${id} ${runs}`).join(', ')}`);
      lines.push(`    ${lighthouseLoad}`);
    }
    lines.push(`  ${load()}`);
    console.log(lines.join('\n'));
  } finally {
    for (const close of closers) await close();
  }
}

await main();
