// Owns the watermark: a small file in DATA_DIR, outside the database, holding the database generation and each
// organisation's change counter. The running server writes it every minute and at shutdown. Counters only grow, so
// a database whose counter is lower than the file's went back in time (restored from a backup): at start the server
// then begins a new generation, and every tablet's next pull is a full resend instead of skipping reused numbers.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from './log';
import type { Store } from './store';

export const WATERMARK_FILE = 'watermark.json';
export const WATERMARK_EVERY_MS = 60_000;

export interface Watermark {
  generation: string;
  /** Organisation id → its change counter when the file was written. */
  counters: Record<string, number>;
  writtenAt: number;
}

/** The file's watermark; undefined when there is none or it is not one (a damaged file is simply rewritten). */
export function readWatermark(dataDir: string): Watermark | undefined {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(join(dataDir, WATERMARK_FILE), 'utf8'));
  } catch {
    return undefined;
  }
  const mark = value as Partial<Watermark> | null;
  if (!mark || typeof mark.generation !== 'string' || !mark.counters || typeof mark.counters !== 'object') return undefined;
  const counters = Object.entries(mark.counters).filter((entry): entry is [string, number] => Number.isSafeInteger(entry[1]));
  return { generation: mark.generation, counters: Object.fromEntries(counters), writtenAt: Number(mark.writtenAt) || 0 };
}

/** True when the database holds less than the watermark saw: an organisation's counter is lower, or it is gone. */
export function wentBackInTime(watermark: Watermark, counters: Record<string, number>): boolean {
  return Object.entries(watermark.counters).some(([orgId, seen]) => (counters[orgId] ?? -1) < seen);
}

/** Writes the database's generation and counters (a new file, then renamed: a crash never leaves half a file). */
export async function writeWatermark(store: Store, dataDir: string, now: number): Promise<void> {
  const mark: Watermark = { generation: await store.generation(), counters: await store.changeCounters(), writtenAt: now };
  mkdirSync(dataDir, { recursive: true });
  const temporary = join(dataDir, `${WATERMARK_FILE}.${process.pid}.tmp`);
  writeFileSync(temporary, JSON.stringify(mark));
  renameSync(temporary, join(dataDir, WATERMARK_FILE));
}

/** At start: a database behind its watermark begins a new generation. Returns true when it did. */
export async function checkWatermark(store: Store, dataDir: string, now: number, logger: Logger): Promise<boolean> {
  const watermark = readWatermark(dataDir);
  const behind = watermark !== undefined && wentBackInTime(watermark, await store.changeCounters());
  if (behind) {
    await store.rotateGeneration();
    logger.warn('the database holds less than when the server last ran (restored from a backup?): new database generation, tablets fetch everything again');
  }
  await writeWatermark(store, dataDir, now);
  return behind;
}
