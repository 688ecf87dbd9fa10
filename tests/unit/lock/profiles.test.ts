import { beforeEach, describe, expect } from 'vitest';
import { db } from '../../../src/db/db';
import { it } from '../support/database';
import {
  addInstructor,
  changeOwnPin,
  createFirstProfile,
  listProfiles,
  ProfileError,
  removeProfile,
  resetPin,
  unlockWithPin,
} from '../../../src/lock/profiles';
import { saveLockout } from '../../../src/lock/settings';
import { NO_FAILURES } from '../../../src/lock/lockout';

const FAST = 1_000;

beforeEach(async () => {
  await saveLockout(NO_FAILURES);
});

describe('instructor profiles', () => {
  it('first-run setup makes one site admin, only while no profile exists, and stores no PIN', async () => {
    const admin = await createFirstProfile('  Anna ', '582947', '582947', FAST);
    expect(admin).toMatchObject({ nickname: 'Anna', role: 'admin' });
    await expect(createFirstProfile('Mallory', '736152', '736152', FAST)).rejects.toEqual(new ProfileError('notAllowed'));
    const [stored] = await db().profiles.toArray();
    expect(JSON.stringify(stored)).not.toContain('582947');
  });

  it('refuses a short PIN, a mismatch and a taken nickname', async () => {
    await expect(createFirstProfile('Anna', '12345', '12345', FAST)).rejects.toEqual(new ProfileError('pinShort'));
    await expect(createFirstProfile('Anna', '582947', '582948', FAST)).rejects.toEqual(new ProfileError('pinMismatch'));
    const admin = await createFirstProfile('Anna', '582947', '582947', FAST);
    await expect(addInstructor(admin.id, { nickname: 'anna', pin: '604918', pinAgain: '604918', role: 'instructor' }, FAST)).rejects.toEqual(
      new ProfileError('nicknameTaken'),
    );
  });

  it('unlocks with the right PIN; five wrong PINs start the delay, which refuses even the right PIN', async () => {
    const admin = await createFirstProfile('Anna', '582947', '582947', FAST);
    expect((await unlockWithPin(admin.id, '582947', 0)).ok).toBe(true);
    let last;
    for (let i = 1; i <= 5; i += 1) last = await unlockWithPin(admin.id, '000000', 1_000);
    expect(last).toEqual({ ok: false, reason: 'wrongPin', waitMs: 30_000 });
    expect(await unlockWithPin(admin.id, '582947', 20_000)).toEqual({ ok: false, reason: 'wait', waitMs: 11_000 });
    expect((await unlockWithPin(admin.id, '582947', 31_000)).ok).toBe(true);
    expect(await unlockWithPin(admin.id, '000000', 32_000)).toEqual({ ok: false, reason: 'wrongPin', waitMs: 0 });
  });

  it('an instructor changes their own PIN with the current one; a site admin resets another', async () => {
    const admin = await createFirstProfile('Anna', '582947', '582947', FAST);
    const ville = await addInstructor(admin.id, { nickname: 'Ville', pin: '283746', pinAgain: '283746', role: 'instructor' }, FAST);
    await expect(changeOwnPin(ville.id, '999999', '394857', '394857', FAST)).rejects.toEqual(new ProfileError('wrongPin'));
    await changeOwnPin(ville.id, '283746', '394857', '394857', FAST);
    expect((await unlockWithPin(ville.id, '394857')).ok).toBe(true);
    await expect(resetPin(ville.id, admin.id, '405968', '405968', FAST)).rejects.toEqual(new ProfileError('notAllowed'));
    await resetPin(admin.id, ville.id, '516079', '516079', FAST);
    expect((await unlockWithPin(ville.id, '516079')).ok).toBe(true);
  });

  it('removing: an admin may remove others, an instructor only themselves, the last admin stays', async () => {
    const admin = await createFirstProfile('Anna', '582947', '582947', FAST);
    const ville = await addInstructor(admin.id, { nickname: 'Ville', pin: '283746', pinAgain: '283746', role: 'instructor' }, FAST);
    const sara = await addInstructor(admin.id, { nickname: 'Sara', pin: '283746', pinAgain: '283746', role: 'instructor' }, FAST);
    await expect(removeProfile(ville.id, sara.id)).rejects.toEqual(new ProfileError('notAllowed'));
    await expect(removeProfile(admin.id, admin.id)).rejects.toEqual(new ProfileError('lastAdmin'));
    await removeProfile(ville.id, ville.id);
    await removeProfile(admin.id, sara.id);
    expect((await listProfiles()).map((p) => p.nickname)).toEqual(['Anna']);
  });
});
