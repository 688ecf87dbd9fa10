// Unit-test setup: a fake IndexedDB under Dexie and idb-keyval, Finnish strings, and a clean DOM after each test.
import 'fake-indexeddb/auto';
import { cleanup, configure } from '@testing-library/preact';
import { afterEach } from 'vitest';
import { savesTold } from '../../src/db/native-save';
import { initI18n, loadInstructorStrings } from '../../src/i18n';

// Components of both areas are tested here: load the participant and the instructor strings once.
await initI18n('fi');
await loadInstructorStrings();

// findBy/waitFor wait for a positive signal; their 1 s default gave up on writes that took longer on a loaded 2-core CI
// machine (drafts, editor and backup tests failed under load and passed alone). Waiting longer asserts nothing about speed.
configure({ asyncUtilTimeout: 10_000 });

// A save tells live queries a frame later (src/db/native-save.ts): told before the test's page goes, as a real page would.
afterEach(async () => {
  await savesTold();
  cleanup();
});
