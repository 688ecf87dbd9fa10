// Before the engine tests: one production build of the app, shared by every engine (the Chromium tests make their own).
import { mkdirSync, rmSync } from 'node:fs';
import { build } from '../../e2e/support/global-setup';
import { ENGINES_BUILD, ENGINES_BUILD_ID, ENGINES_DIR } from './paths';

export default function setup(): void {
  rmSync(ENGINES_DIR, { recursive: true, force: true });
  mkdirSync(ENGINES_DIR, { recursive: true });
  build(ENGINES_BUILD, ENGINES_BUILD_ID);
}
