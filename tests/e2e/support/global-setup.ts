// Before the browser tests: make sure Chromium is there, then build the app twice (a current and a "newer" build).
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { findChromium } from './chromium';
import { BUILD_A, BUILD_B, BUILD_ID_A, BUILD_ID_B, E2E_DIR } from './paths';

export function build(outDir: string, buildId: string): void {
  // A child process, so the build runs in production mode and not in Vitest's test mode.
  execFileSync(process.execPath, [join(process.cwd(), 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'error'], {
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production', DIGITUKI_BUILD_ID: buildId, DIGITUKI_OUT_DIR: outDir },
  });
}

export default function setup(): void {
  process.env.CHROME_PATH = findChromium();
  rmSync(E2E_DIR, { recursive: true, force: true });
  mkdirSync(E2E_DIR, { recursive: true });
  build(BUILD_A, BUILD_ID_A);
  build(BUILD_B, BUILD_ID_B);
}
