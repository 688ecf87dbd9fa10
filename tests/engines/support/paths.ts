// Where the engine tests keep their build of the app and their failure screenshots (apart from the Chromium tests').
import { join } from 'node:path';

export const ENGINES_DIR = process.env.DIGITUKI_ENGINES_DIR ?? join(process.cwd(), '.tmp', 'engines');
export const ENGINES_BUILD = join(ENGINES_DIR, 'build');
export const SCREENSHOTS = join(ENGINES_DIR, 'screenshots');
export const ENGINES_BUILD_ID = 'engines-build';
