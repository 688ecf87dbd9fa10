// Runs Lighthouse (mobile, its default simulated throttling) on one address in a fresh Chromium: a first visit.
import { createServer } from 'node:net';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../../e2e/support/chromium';

export interface LighthouseScores {
  performance: number;
  bestPractices: number;
  cls: number;
  fcp: number;
  lcp: number;
  tbt: number;
  /** Audits that did not pass, with what they found (the things to fix). */
  failing: string[];
}

interface Audit {
  id: string;
  score: number | null;
  scoreDisplayMode: string;
  numericValue?: number;
  displayValue?: string;
}
interface LighthouseResult {
  lhr: { categories: Record<string, { score: number | null; auditRefs: { id: string }[] }>; audits: Record<string, Audit>; runtimeError?: { message: string } };
}
type Lighthouse = (url: string, flags: Record<string, unknown>) => Promise<LighthouseResult | undefined>;

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

// Loaded by name at run time: `lighthouse` is a devDependency of the bench only, and typechecking must not need it.
const LIGHTHOUSE_MODULE = 'lighthouse';

/** One Lighthouse run; a run whose trace failed (it happens on a busy machine: NO_NAVSTART) is tried again, twice. */
export async function runLighthouse(url: string): Promise<LighthouseScores> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await lighthouseOnce(url);
    } catch (error) {
      if (attempt >= 3) throw error;
      console.warn(`  Lighthouse run failed, trying again: ${(error as Error).message}`);
    }
  }
}

async function lighthouseOnce(url: string): Promise<LighthouseScores> {
  const lighthouse = ((await import(LIGHTHOUSE_MODULE)) as { default: Lighthouse }).default;
  const port = await freePort();
  const browser = await chromium.launch({ executablePath: findChromium(), args: [...CHROMIUM_ARGS, `--remote-debugging-port=${port}`] });
  try {
    const result = await lighthouse(url, { port, output: 'json', logLevel: 'error', onlyCategories: ['performance', 'best-practices'] });
    if (!result) throw new Error(`Lighthouse gave no result for ${url}`);
    const { categories, audits, runtimeError } = result.lhr;
    if (runtimeError) throw new Error(`Lighthouse could not measure ${url}: ${runtimeError.message}`);
    const value = (id: string) => audits[id]?.numericValue ?? Number.NaN;
    const failing = Object.values(categories)
      .flatMap((category) => category.auditRefs.map((ref) => audits[ref.id]!))
      .filter(
        (audit) =>
          audit.score !== null &&
          audit.score < (audit.scoreDisplayMode === 'binary' ? 1 : 0.9) &&
          audit.scoreDisplayMode !== 'informative' &&
          audit.scoreDisplayMode !== 'manual',
      )
      .map((audit) => (audit.displayValue ? `${audit.id} (${audit.displayValue})` : audit.id));
    return {
      performance: Math.round((categories.performance?.score ?? 0) * 100),
      bestPractices: Math.round((categories['best-practices']?.score ?? 0) * 100),
      cls: value('cumulative-layout-shift'),
      fcp: value('first-contentful-paint'),
      lcp: value('largest-contentful-paint'),
      tbt: value('total-blocking-time'),
      failing,
    };
  } finally {
    await browser.close();
  }
}
