// Issue 13 item 4: restore, backup export and wipe are site-admin only (the functions themselves refuse), a backup
// carries no role and nothing of a PIN, a restored profile is an instructor without a PIN, and wrong PINs count per
// tablet and per profile.
import { afterEach, beforeEach, describe, expect } from 'vitest';
import { db } from '../../../src/db/db';
import { freshDatabase, it } from '../support/database';
import { BackupError, exportBackup, openBackup, restoreBackup, sealBackup } from '../../../src/lock/backup';
import { NO_FAILURES } from '../../../src/lock/lockout';
import { dispatchMode, lockNow } from '../../../src/lock/mode';
import { addInstructor, createFirstProfile, hasPin, ProfileError, resetPin, unlockWithPin } from '../../../src/lock/profiles';
import { saveLockout } from '../../../src/lock/settings';
import { wipeTabletAsAdmin } from '../../../src/lock/wipe';

const FAST = 1_000;
const PASS = 'kahvi ja pulla 2026';
const unlock = (profileId: string) => dispatchMode({ type: 'unlock', profileId, at: Date.now() });

beforeEach(async () => {
  await saveLockout(NO_FAILURES);
});
afterEach(() => {
  lockNow();
  db().close();
});

async function adminAndInstructor() {
  const admin = await createFirstProfile('Anna', '582947', '582947', FAST);
  const ville = await addInstructor(admin.id, { nickname: 'Ville', pin: '283746', pinAgain: '283746', role: 'instructor' }, FAST);
  return { admin, ville };
}

describe('site-admin only', () => {
  it('an instructor, or nobody unlocked, cannot export, restore or wipe; nothing changes', async () => {
    const { admin, ville } = await adminAndInstructor();
    unlock(admin.id);
    const { text } = await exportBackup(PASS, PASS, FAST);
    await db().sessions.add({
      id: 'log-1',
      org: 'o',
      site: 's',
      updatedAt: 1,
      hlc: '1',
      fieldClocks: {},
      deleted: 0,
      status: 'final',
      startedAt: 1,
      format: 'walk-in',
      topics: [],
    });
    for (const who of [ville.id, undefined]) {
      if (who) unlock(who);
      else lockNow();
      await expect(exportBackup(PASS, PASS, FAST)).rejects.toEqual(new ProfileError('notAllowed'));
      await expect(restoreBackup(text, PASS)).rejects.toEqual(new ProfileError('notAllowed'));
      await expect(wipeTabletAsAdmin()).rejects.toEqual(new ProfileError('notAllowed'));
      expect(await db().sessions.count()).toBe(1);
      expect(await db().profiles.count()).toBe(2);
    }
    unlock(admin.id);
    await wipeTabletAsAdmin();
    expect(await db().profiles.count()).toBe(0);
  });
});

describe('profiles in a backup', () => {
  it('the file holds nicknames only; a restored profile is an instructor without a PIN until an admin gives one', async () => {
    const { admin } = await adminAndInstructor();
    unlock(admin.id);
    const { text } = await exportBackup(PASS, PASS, FAST);
    const opened = await openBackup(text, PASS);
    expect(opened.tables.profiles.map((p) => Object.keys(p).sort())).toEqual([
      ['createdAt', 'id', 'nickname'],
      ['createdAt', 'id', 'nickname'],
    ]);

    lockNow();
    db().close();
    freshDatabase('roles-b');
    const other = await createFirstProfile('Sara', '736152', '736152', FAST);
    unlock(other.id);
    const restored = await restoreBackup(text, PASS);
    expect(restored.profiles.sort()).toEqual(['Anna', 'Ville']);
    const profiles = await db().profiles.toArray();
    expect(profiles.filter((p) => p.role === 'admin').map((p) => p.nickname)).toEqual(['Sara']);
    const anna = profiles.find((p) => p.nickname === 'Anna')!;
    expect(anna).toEqual({ id: admin.id, nickname: 'Anna', role: 'instructor', createdAt: anna.createdAt });
    expect(hasPin(anna)).toBe(false);
    expect((await unlockWithPin(anna.id, '582947')).ok).toBe(false); // the old PIN does not come along
    await resetPin(other.id, anna.id, '605918', '605918', FAST);
    expect((await unlockWithPin(anna.id, '605918')).ok).toBe(true);
  });

  it('a hand-made file that says "admin" and carries a PIN hash still brings an instructor without a PIN', async () => {
    const sara = await createFirstProfile('Sara', '736152', '736152', FAST);
    unlock(sara.id);
    const forged = { id: 'mallory', nickname: 'Mallory', createdAt: 1, role: 'admin', pinHash: 'AAAA', salt: 'AAAA', iterations: 1_000, pinDigits: 6 };
    const file = await sealBackup(
      { createdAt: 1, tables: { guides: [], guideSteps: [], sessions: [], feedback: [], blobs: [], outbox: [], profiles: [forged as never] } },
      PASS,
      FAST,
    );
    await restoreBackup(file, PASS);
    expect(await db().profiles.get('mallory')).toEqual({ id: 'mallory', nickname: 'Mallory', createdAt: 1, role: 'instructor' });
    await expect(restoreBackup('not a file', PASS)).rejects.toBeInstanceOf(BackupError);
  });
});

describe('wrong PINs', () => {
  it("count per profile as well as per tablet: unlocking with one's own PIN does not start the admin's count again", async () => {
    const { admin, ville } = await adminAndInstructor();
    let now = 1_000_000;
    for (let round = 0; round < 5; round += 1) {
      expect((await unlockWithPin(admin.id, '000000', (now += 1_000))).ok).toBe(false);
      expect((await unlockWithPin(ville.id, '283746', (now += 1_000))).ok).toBe(true); // clears the tablet's count
    }
    const next = await unlockWithPin(admin.id, '582947', (now += 1_000));
    expect(next).toMatchObject({ ok: false, reason: 'wait' });
    expect((await unlockWithPin(ville.id, '283746', (now += 1_000))).ok).toBe(true); // Ville's own count is clear
    expect((await unlockWithPin(admin.id, '582947', (now += 60_000))).ok).toBe(true);
  });
});
