import { afterEach, describe, expect } from 'vitest';
import { db } from '../../../src/db/db';
import { freshDatabase, it } from '../support/database';
import type { SessionLogRecord } from '../../../src/db/records';
import { BACKUP_ITERATIONS, BackupError, exportBackup, openBackup, restoreBackup } from '../../../src/lock/backup';
import { hashPin } from '../../../src/lock/pin';
import { dispatchMode, lockNow } from '../../../src/lock/mode';

/** Export and restore are site-admin only: each tablet of these tests has its admin unlocked. */
async function unlockAdmin(id = 'p-1') {
  if (!(await db().profiles.get(id))) await db().profiles.add({ id, nickname: `Admin ${id}`, role: 'admin', createdAt: 1, ...(await hashPin('582947', FAST)) });
  dispatchMode({ type: 'unlock', profileId: id, at: Date.now() });
}

const FAST = 1_000; // the derivation cost is checked once below; the other tests are about content
const PASS = 'kahvi ja pulla 2026';

const log = (id: string, hlc: string, format = 'walk-in'): SessionLogRecord => ({
  id,
  org: 'org-1',
  site: 'site-1',
  updatedAt: 1,
  hlc,
  fieldClocks: { format: hlc },
  deleted: 0,
  status: 'final',
  startedAt: 1_750_000_000_000,
  format,
  topics: ['e-identification'],
});

async function fillTablet() {
  await db().sessions.bulkAdd([log('log-1', '000001750000000-0000-tab1'), log('log-2', '000001750000001-0000-tab1', 'group')]);
  await db().feedback.add({ id: 'fb-1', org: 'org-1', site: 'site-1', createdAt: 5, lang: 'fi', answers: { mood: 4 } });
  await db().outbox.add({ table: 'sessions', recordId: 'log-2', hlc: '000001750000001-0000-tab1', fields: { format: 'group' }, org: '', site: '' });
  await db().profiles.add({ id: 'p-1', nickname: 'Anna', role: 'admin', createdAt: 1, ...(await hashPin('123456', FAST)) });
  await unlockAdmin('p-1');
  await db().syncState.put({ key: 'token', value: 'secret-device-token' });
  const guide = {
    org: '',
    site: '',
    updatedAt: 1,
    hlc: '',
    fieldClocks: {},
    deleted: 0 as const,
    lang: 'fi' as const,
    summary: '',
    category: 'contact' as const,
    tags: [],
    version: 1,
  };
  await db().guides.bulkAdd([
    { ...guide, id: 'builtin-1', slug: 'whatsapp', title: 'Kuva WhatsAppissa', source: 'builtin' },
    { ...guide, id: 'org-guide-1', slug: 'oma', title: 'Oma ohje', source: 'org' },
  ]);
  await db().guideSteps.bulkAdd([
    {
      id: 'builtin-1-1',
      guideId: 'builtin-1',
      orderKey: 'a',
      kind: 'step',
      text: 'Avaa',
      alt: '',
      org: '',
      site: '',
      updatedAt: 1,
      hlc: '',
      fieldClocks: {},
      deleted: 0,
    },
    {
      id: 'org-guide-1-1',
      guideId: 'org-guide-1',
      orderKey: 'a',
      kind: 'step',
      text: 'Avaa',
      alt: '',
      org: '',
      site: '',
      updatedAt: 1,
      hlc: '',
      fieldClocks: {},
      deleted: 0,
    },
  ]);
}

async function snapshot() {
  const database = db();
  return Object.fromEntries(await Promise.all(database.tables.map(async (table) => [table.name, await table.toArray()] as const)));
}

afterEach(() => {
  lockNow();
  db().close();
});

describe('the encrypted backup', () => {
  it('derives its key with PBKDF2-SHA256 at the real strength by default', async () => {
    await unlockAdmin();
    const { text } = await exportBackup(PASS, PASS);
    const envelope = JSON.parse(text);
    expect(envelope.kdf).toMatchObject({ name: 'PBKDF2', hash: 'SHA-256', iterations: BACKUP_ITERATIONS });
    expect(BACKUP_ITERATIONS).toBeGreaterThanOrEqual(100_000);
    expect(envelope.cipher.name).toBe('AES-GCM');
  });

  it('holds nothing readable: no log content, nickname or token in the file', async () => {
    await fillTablet();
    const { text } = await exportBackup(PASS, PASS, FAST);
    for (const secret of ['walk-in', 'Anna', 'e-identification', 'secret-device-token', 'org-1']) expect(text).not.toContain(secret);
  });

  it('round trip: a new tablet gets the logs, feedback, profiles and pending changes — but not the device token', async () => {
    await fillTablet();
    const { text, counts } = await exportBackup(PASS, PASS, FAST);
    expect(counts).toMatchObject({ sessions: 2, feedback: 1, outbox: 1, profiles: 1, guides: 1, guideSteps: 1 });
    const before = await snapshot();
    db().close();

    freshDatabase('tablet-b');
    await unlockAdmin('admin-b');
    const restored = await restoreBackup(text, PASS);
    expect(restored.counts).toMatchObject({ sessions: 2, feedback: 1, outbox: 1, profiles: 1 });
    expect(restored.profiles).toEqual(['Anna']);
    const after = await snapshot();
    expect(after.sessions).toEqual(before.sessions);
    expect(after.feedback).toEqual(before.feedback);
    // The admin of the file comes back as an instructor with no PIN (the backup carries none).
    expect((after.profiles as { id: string }[]).filter((p) => p.id !== 'admin-b')).toEqual([{ id: 'p-1', nickname: 'Anna', role: 'instructor', createdAt: 1 }]);
    expect((after.outbox as { recordId: string; fields: unknown }[]).map((r) => [r.recordId, r.fields])).toEqual([['log-2', { format: 'group' }]]);
    expect(after.syncState).toEqual([]);
    expect((after.guides as { id: string }[]).map((g) => g.id)).toEqual(['org-guide-1']); // built-in guides ship with the app
    expect((after.guideSteps as { id: string }[]).map((g) => g.id)).toEqual(['org-guide-1-1']);

    // Restoring the same file again adds nothing twice.
    const again = await restoreBackup(text, PASS);
    expect(Object.values(again.counts).every((n) => n === 0)).toBe(true);
    expect(await db().outbox.count()).toBe(1);
  });

  it('keeps a newer local edit when the backup holds an older version of the same log', async () => {
    await fillTablet();
    const { text } = await exportBackup(PASS, PASS, FAST);
    await db().sessions.put(log('log-1', '000001760000000-0000-tab1', 'one-to-one'));
    await restoreBackup(text, PASS);
    expect((await db().sessions.get('log-1'))?.format).toBe('one-to-one');
  });

  it('says "wrong passphrase" and changes nothing', async () => {
    await fillTablet();
    const { text } = await exportBackup(PASS, PASS, FAST);
    await db().sessions.put(log('log-3', '000001770000000-0000-tab1'));
    const before = await snapshot();
    await expect(restoreBackup(text, 'kahvi ja pulla 2025')).rejects.toEqual(new BackupError('wrongPassphrase'));
    expect(await snapshot()).toEqual(before);
  });

  it('says "damaged" for a flipped byte, a cut file, a changed header or not-a-backup, and changes nothing', async () => {
    await fillTablet();
    const { text } = await exportBackup(PASS, PASS, FAST);
    const envelope = JSON.parse(text);
    const flip = (b64: string) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
      return btoa(String.fromCharCode(...bytes));
    };
    const damaged = [
      JSON.stringify({ ...envelope, cipher: { ...envelope.cipher, data: flip(envelope.cipher.data) } }),
      text.slice(0, Math.floor(text.length * 0.7)),
      JSON.stringify({ ...envelope, cipher: { ...envelope.cipher, data: envelope.cipher.data.slice(0, 40) } }),
      '<img src=x onerror=alert(1)>',
      JSON.stringify({ hello: 'world' }),
    ];
    await db().sessions.clear();
    const before = await snapshot();
    for (const file of damaged) {
      await expect(openBackup(file, PASS)).rejects.toEqual(new BackupError('damaged'));
      await expect(restoreBackup(file, PASS)).rejects.toBeInstanceOf(BackupError);
    }
    // A changed iteration count (header) no longer matches the encrypted parts: refused as a wrong passphrase.
    await expect(restoreBackup(JSON.stringify({ ...envelope, kdf: { ...envelope.kdf, iterations: 100_001 } }), PASS)).rejects.toBeInstanceOf(BackupError);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a file whose decrypted rows are malformed, even with the right passphrase, and writes nothing', async () => {
    await unlockAdmin();
    const { sealBackup } = await import('../../../src/lock/backup');
    const bad = await sealBackup(
      {
        createdAt: 1,
        tables: {
          guides: [],
          guideSteps: [],
          sessions: [log('ok', '1'), { id: 'bad' } as unknown as SessionLogRecord],
          feedback: [],
          blobs: [],
          outbox: [],
          profiles: [],
        },
      },
      PASS,
      FAST,
    );
    await expect(restoreBackup(bad, PASS)).rejects.toEqual(new BackupError('damaged'));
    expect(await db().sessions.count()).toBe(0);
  });

  it('refuses a short or mistyped passphrase before writing a file', async () => {
    await unlockAdmin();
    await expect(exportBackup('short', 'short', FAST)).rejects.toEqual(new BackupError('passphraseShort'));
    await expect(exportBackup(PASS, PASS + 'x', FAST)).rejects.toEqual(new BackupError('passphraseMismatch'));
  });
});
