// Owns the browser storage bookkeeping: asking for persistent storage and reading how much is used.

export interface StorageReport {
  usedBytes: number | undefined;
  quotaBytes: number | undefined;
  persisted: boolean | undefined;
}

/** An answer of the browser, or undefined when it lacks the API or refuses to answer (WebKit may do either). */
async function ask<T>(question: (() => Promise<T>) | undefined): Promise<T | undefined> {
  try {
    return question ? await question() : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Asks the browser not to evict our data under pressure; installed PWAs usually get a yes. A missing or refusing API
 * is a "no", never an error: the app works the same, and tablet settings tell the instructor what that means.
 */
export async function requestPersistentStorage(): Promise<boolean> {
  const storage = navigator.storage;
  if (!storage?.persist) return false;
  if (storage.persisted) {
    const already = await ask(() => storage.persisted());
    if (already === undefined) return false;
    if (already) return true;
  }
  return (await ask(() => storage.persist())) === true;
}

export async function readStorageReport(): Promise<StorageReport> {
  const storage = navigator.storage;
  const estimate = await ask(storage?.estimate ? () => storage.estimate() : undefined);
  const persisted = await ask(storage?.persisted ? () => storage.persisted() : undefined);
  return { usedBytes: estimate?.usage, quotaBytes: estimate?.quota, persisted };
}
