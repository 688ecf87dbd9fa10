// Where the browser tests keep their two builds of the app (made once per run by global-setup.ts).
import { join } from 'node:path';

// DIGITUKI_E2E_DIR lets several checkouts or engineers run the browser tests at once without sharing builds.
export const E2E_DIR = process.env.DIGITUKI_E2E_DIR ?? join(process.cwd(), '.tmp', 'e2e');
export const BUILD_A = join(E2E_DIR, 'build-a');
export const BUILD_B = join(E2E_DIR, 'build-b');
export const BUILD_ID_A = 'e2e-build-a';
export const BUILD_ID_B = 'e2e-build-b';
