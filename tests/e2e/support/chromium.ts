// Finds Debian's Chromium for the browser tests, or says what to install. Installing is the machine's set-up
// (.ci/run on CI, the README for a developer), never a test's: a test run must not change the machine it runs on.
import { existsSync } from 'node:fs';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

/** What to do when no Chromium is found: the package to install, or CHROME_PATH. */
export const MISSING_CHROMIUM =
  'The browser tests need Chromium and none was found at ' +
  CANDIDATES.join(', ') +
  '. Install Debian\'s "chromium" package (sudo apt-get install chromium; .ci/run does this on CI) ' +
  'or set CHROME_PATH to a Chromium or Chrome binary.';

/** The Chromium binary to drive: CHROME_PATH if set (it must exist), else the first of the usual places. */
export function findChromium(env: Record<string, string | undefined> = process.env, exists: (path: string) => boolean = existsSync): string {
  const fromEnv = env.CHROME_PATH;
  if (fromEnv) {
    if (!exists(fromEnv)) throw new Error(`CHROME_PATH points to ${fromEnv}, which does not exist.`);
    return fromEnv;
  }
  const path = CANDIDATES.find((candidate) => exists(candidate));
  if (!path) throw new Error(MISSING_CHROMIUM);
  return path;
}

/** Flags that keep headless Chromium quiet on a machine with no outside network. */
export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];
