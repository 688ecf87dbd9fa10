// Persistent storage is a request, not a promise: browsers (WebKit above all) may lack the API, lack half of it, or
// refuse. The app must carry on in every case and report "not persisted", never fail.
import { afterEach, describe, expect, it } from 'vitest';
import { readStorageReport, requestPersistentStorage } from '../../../src/db/storage';

const original = Object.getOwnPropertyDescriptor(navigator, 'storage');

function browserStorage(storage: Partial<StorageManager> | undefined): void {
  Object.defineProperty(navigator, 'storage', { value: storage, configurable: true });
}

afterEach(() => {
  if (original) Object.defineProperty(navigator, 'storage', original);
  else delete (navigator as { storage?: unknown }).storage;
});

describe('requestPersistentStorage', () => {
  it('says no when the browser has no storage manager at all', async () => {
    browserStorage(undefined);
    await expect(requestPersistentStorage()).resolves.toBe(false);
  });

  it('asks with persist() when the browser has it but not persisted()', async () => {
    let asked = 0;
    browserStorage({ persist: async () => (asked += 1) > 0 });
    await expect(requestPersistentStorage()).resolves.toBe(true);
    expect(asked).toBe(1);
  });

  it('says no when the browser refuses by rejecting, or throws while checking', async () => {
    browserStorage({ persisted: async () => false, persist: () => Promise.reject(new DOMException('Not allowed', 'NotAllowedError')) });
    await expect(requestPersistentStorage()).resolves.toBe(false);
    browserStorage({ persisted: () => Promise.reject(new TypeError('Illegal invocation')), persist: async () => true });
    await expect(requestPersistentStorage()).resolves.toBe(false);
  });

  it('does not ask again when the data is already persisted', async () => {
    let asked = 0;
    browserStorage({ persisted: async () => true, persist: async () => (asked += 1) > 0 });
    await expect(requestPersistentStorage()).resolves.toBe(true);
    expect(asked).toBe(0);
  });
});

describe('readStorageReport', () => {
  it('reports what it can and leaves the rest unknown when the browser refuses to tell', async () => {
    browserStorage({ estimate: () => Promise.reject(new Error('refused')), persisted: async () => false });
    await expect(readStorageReport()).resolves.toEqual({ usedBytes: undefined, quotaBytes: undefined, persisted: false });
    browserStorage({ estimate: async () => ({ usage: 10, quota: 100 }), persisted: () => Promise.reject(new Error('refused')) });
    await expect(readStorageReport()).resolves.toEqual({ usedBytes: 10, quotaBytes: 100, persisted: undefined });
  });
});
