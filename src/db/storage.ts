// Owns the browser storage bookkeeping: asking for persistent storage and reading how much is used.

export interface StorageReport {
  usedBytes: number | undefined;
  quotaBytes: number | undefined;
  persisted: boolean | undefined;
}

/** Asks the browser not to evict our data under pressure; installed PWAs usually get a yes. */
export async function requestPersistentStorage(): Promise<boolean> {
  if (!navigator.storage?.persist) return false;
  if (await navigator.storage.persisted()) return true;
  return navigator.storage.persist();
}

export async function readStorageReport(): Promise<StorageReport> {
  const estimate = navigator.storage?.estimate ? await navigator.storage.estimate() : undefined;
  const persisted = navigator.storage?.persisted ? await navigator.storage.persisted() : undefined;
  return { usedBytes: estimate?.usage, quotaBytes: estimate?.quota, persisted };
}
