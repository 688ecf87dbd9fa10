// Owns the console's page and the tablet's self-report headers: the console's shell from dist/console/, and the app
// version and waiting count a tablet sends with its sync, read strictly (anything odd is ignored, never stored).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Context } from 'hono';

/** The console's index.html for any /console/… address (the console routes by its URL fragment). */
export function consoleShell(c: Context, staticDir: string) {
  const indexFile = join(staticDir, 'console', 'index.html');
  if (!existsSync(indexFile)) return c.text('The console has not been built. Run "npm run build".', 503);
  c.header('Cache-Control', 'no-cache');
  return c.html(readFileSync(indexFile, 'utf8'));
}

/** Digituki-App-Version ("0.1.0", "0.2.0-beta.1") and Digituki-Waiting (a count) as a report; undefined when neither is usable. */
export function tabletReportOf(version: string | undefined, waiting: string | undefined): { appVersion?: string; waiting?: number } | undefined {
  const report: { appVersion?: string; waiting?: number } = {};
  const v = version?.trim();
  if (v && /^[0-9A-Za-z.+-]{1,40}$/.test(v)) report.appVersion = v;
  const w = waiting?.trim();
  if (w && /^\d{1,9}$/.test(w)) report.waiting = Number(w);
  return Object.keys(report).length ? report : undefined;
}
