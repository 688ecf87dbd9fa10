// Owns the server tests' per-test set-up on one storage backend, as Vitest fixtures: `opened` (a fresh, empty store
// on that backend, closed and removed after the test), `store` (its store) and `world` (organisations, sites and
// enrolled tablets built on it). A test names the fixtures it needs; only those are made.
import { test } from 'vitest';
import type { Backend } from './backends';
import { buildWorld } from './world';

export function backendTest(backend: Backend) {
  return (
    test
      // biome-ignore lint/correctness/noEmptyPattern: Vitest reads a fixture's dependencies from this pattern; it has none.
      .extend('opened', async ({}, { onCleanup }) => {
        const opened = await backend.open();
        onCleanup(async () => {
          await opened.store.close();
          await opened.cleanup();
        });
        return opened;
      })
      .extend('store', ({ opened }) => opened.store)
      .extend('world', ({ store }) => buildWorld(store))
  );
}

export type BackendTest = ReturnType<typeof backendTest>;
