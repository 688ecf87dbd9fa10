// Where the browser tests save screenshots of the main screens, for a person to look at after a run.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { E2E_DIR } from './paths';

export const SCREENSHOT_DIR = join(E2E_DIR, 'screenshots');

/** Saves the visible screen (not the whole page: what a person sees without scrolling) and prints where. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path });
  console.log(`screenshot saved: ${path}`);
  return path;
}
