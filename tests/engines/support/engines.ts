// Which engines this machine can run: Debian's firefox-esr, and WebKitGTK's WebKitWebDriver + MiniBrowser under Xvfb.
// In CI a missing engine is an error (.ci/run installs them); elsewhere its suite is reported as skipped, with why.
import { existsSync } from 'node:fs';
import { describe, it } from 'vitest';
import type { EngineDriver, EngineName } from './driver';
import { launchFirefox } from './firefox';
import { launchWebKit } from './webkit';

export interface Engine {
  name: EngineName;
  /** Why this machine cannot run the engine, or undefined when it can. */
  missing: string | undefined;
  launch(viewport: { width: number; height: number }): Promise<EngineDriver>;
}

const INSTALL = 'install the Debian packages "firefox-esr webkit2gtk-driver xvfb" (as .ci/run does)';

function firstExisting(paths: string[]): string | undefined {
  return paths.find((path) => existsSync(path));
}

const firefoxPath = process.env.FIREFOX_PATH || firstExisting(['/usr/bin/firefox-esr', '/usr/bin/firefox']);
const miniBrowserPath =
  process.env.MINIBROWSER_PATH ||
  firstExisting([
    '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
    '/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
    '/usr/libexec/webkit2gtk-4.1/MiniBrowser',
  ]);
const webDriverPath = firstExisting(['/usr/bin/WebKitWebDriver']);
const xvfbPath = firstExisting(['/usr/bin/Xvfb']);

export const ENGINES: Engine[] = [
  {
    name: 'Firefox',
    missing: firefoxPath ? undefined : `Firefox ESR was not found (set FIREFOX_PATH, or ${INSTALL})`,
    launch: (viewport) => launchFirefox(firefoxPath!, viewport),
  },
  {
    name: 'WebKit',
    missing:
      [!webDriverPath && 'WebKitWebDriver', !miniBrowserPath && 'MiniBrowser', !xvfbPath && 'Xvfb']
        .filter(Boolean)
        .join(', ')
        .replace(/^(.+)$/, `$1 not found (${INSTALL})`) || undefined,
    launch: (viewport) => launchWebKit(miniBrowserPath!, viewport),
  },
];

/**
 * Runs `suite` once per engine. An engine this machine lacks is reported as a skipped suite with the reason — except
 * in CI, where it fails, because CI installs every engine and a silent skip would hide that.
 */
export function describeEachEngine(title: string, suite: (engine: Engine) => void): void {
  // DIGITUKI_ENGINES=WebKit runs one engine only, when working on something that fails there.
  const only = process.env.DIGITUKI_ENGINES?.split(',').map((name) => name.trim().toLowerCase());
  for (const engine of ENGINES) {
    if (only && !only.includes(engine.name.toLowerCase())) continue;
    if (!engine.missing) {
      describe(`${title} (${engine.name})`, () => suite(engine));
    } else if (process.env.CI) {
      describe(`${title} (${engine.name})`, () => {
        it('has its engine installed', () => {
          throw new Error(`${engine.name}: ${engine.missing}.`);
        });
      });
    } else {
      console.warn(`${title}: ${engine.name} suite skipped because ${engine.missing}.`);
      describe(`${title} (${engine.name})`, () => {
        it.skip(`${engine.name} suite skipped: ${engine.missing}`, () => {});
      });
    }
  }
}
