// Unit-test setup: a fake IndexedDB under Dexie and idb-keyval, and a clean DOM after each test.
import 'fake-indexeddb/auto';
import { cleanup } from '@testing-library/preact';
import { afterEach } from 'vitest';

afterEach(() => cleanup());
