// Unit-test setup: a fake IndexedDB under Dexie and idb-keyval, Finnish strings, and a clean DOM after each test.
import 'fake-indexeddb/auto';
import { cleanup } from '@testing-library/preact';
import { afterEach } from 'vitest';
import { initI18n, loadInstructorStrings } from '../../src/i18n';

// Components of both areas are tested here: load the participant and the instructor strings once.
await initI18n('fi');
await loadInstructorStrings();

afterEach(() => cleanup());
