import { fireEvent, render, screen } from '@testing-library/preact';
import { beforeEach, describe, expect } from 'vitest';
import { StorageFullNotice } from '../../../src/app/StorageFullNotice';
import { addFeedback, saveRecord } from '../../../src/db/changes';
import { db } from '../../../src/db/db';
import { it } from '../support/database';
import { StorageFullError, storageFull } from '../../../src/db/storage-problem';

const full = () => {
  throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
};

/** The disk is full for writes into `store`: IndexedDB itself refuses them, whoever writes (Dexie or a native save). */
function fillDisk(store: string): () => void {
  const { put, add } = IDBObjectStore.prototype;
  IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<typeof put>) {
    return this.name === store ? full() : put.apply(this, args);
  };
  IDBObjectStore.prototype.add = function (this: IDBObjectStore, ...args: Parameters<typeof add>) {
    return this.name === store ? full() : add.apply(this, args);
  };
  return () => {
    IDBObjectStore.prototype.put = put;
    IDBObjectStore.prototype.add = add;
  };
}

beforeEach(() => {
  storageFull.set(false);
});

describe('a full tablet', () => {
  it('refuses a log change whole: no record, no outbox row, no clock moved, and says so', async () => {
    await saveRecord('sessions', 'log1', { format: 'group' }, 1_000);
    const clockBefore = await db().syncState.get('clock');
    const freeDisk = fillDisk('outbox'); // log1's change goes into its waiting row, log2's into a new one
    await expect(saveRecord('sessions', 'log1', { format: 'pop-up' }, 2_000)).rejects.toBeInstanceOf(StorageFullError);
    await expect(saveRecord('sessions', 'log2', { format: 'walk-in' }, 3_000)).rejects.toBeInstanceOf(StorageFullError);
    expect((await db().sessions.get('log1'))?.format).toBe('group');
    expect(await db().sessions.get('log2')).toBeUndefined();
    expect(await db().outbox.count()).toBe(1);
    expect(await db().syncState.get('clock')).toEqual(clockBefore);
    expect(storageFull.get()).toBe(true);

    freeDisk();
    await saveRecord('sessions', 'log2', { format: 'walk-in' }, 4_000);
    expect(storageFull.get()).toBe(false); // space was freed: the notice goes
  });

  it('refuses a participant\u2019s feedback whole', async () => {
    db().feedback.hook('creating', full);
    await expect(addFeedback('f1', { createdAt: 1, lang: 'fi', answers: { mood: 3 } })).rejects.toBeInstanceOf(StorageFullError);
    expect(await db().outbox.count()).toBe(0);
  });

  it('shows the instructor what happened and what to do, until dismissed', () => {
    storageFull.set(true);
    render(<StorageFullNotice />);
    expect(screen.getByRole('alert').textContent).toContain('Viimeisintä muutosta ei tallennettu.');
    fireEvent.click(screen.getByRole('button', { name: 'Selvä' }));
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
