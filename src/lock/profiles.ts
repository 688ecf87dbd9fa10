// Owns the instructor profiles on this tablet: first-run setup, unlocking with a PIN (with the wrong-PIN delay),
// changing one's own PIN, a site admin resetting or removing others. Profiles live in the `profiles` table and are
// never synced; a profile row holds the nickname, role, the PIN's salt and count and the tablet data key wrapped under
// the PIN (data-key.ts) — never the PIN, and no hash of it. Every change of who can open the tablet re-wraps the key:
// a new profile or a new PIN gets its own wrapped copy, a removed profile's copy goes with its row, a wipe clears all.
import { addFirstProfile, addProfileRow, listProfiles, profileById, removeProfileChecked, storeWrappedKeysIfNone, updateProfile } from '../db/lock';
import type { ProfileRecord } from '../db/records';
import { afterWrongPin, NO_FAILURES, remainingWaitMs } from './lockout';
import { dataKey, holdDataKey, newDataKey, unwrapDataKey, wrapDataKey, wrappingKey } from './data-key';
import { fromBase64, randomBytes, toBase64 } from './encoding';
import { derivePinBits, PIN_ITERATIONS, PIN_SALT_BYTES, pinProblem, secretProblem, type PinProblem, type SecretKind } from './pin';
import { currentInstructorId } from './mode';
import { loadLockout, saveLockout } from './settings';

export const NICKNAME_MAX = 40;

export type ProfileProblem = PinProblem | 'nicknameEmpty' | 'nicknameLong' | 'nicknameTaken' | 'pinMismatch';

export class ProfileError extends Error {
  constructor(readonly code: ProfileProblem | 'notAllowed' | 'lastAdmin' | 'wrongPin') {
    super(code);
  }
}

/** What an unlock attempt came to; `waitMs` says how long the tablet refuses further tries. */
export type UnlockResult = { ok: true; profile: ProfileRecord } | { ok: false; reason: 'wrongPin' | 'wait'; waitMs: number };

export { hasProfiles, listProfiles } from '../db/lock';

/** The problems of a new profile's nickname and PIN, first one first; undefined when it can be saved. */
export function newProfileProblem(
  nickname: string,
  pin: string,
  pinAgain: string,
  taken: readonly string[],
  kind: SecretKind = 'pin',
): ProfileProblem | undefined {
  const name = nickname.trim();
  if (name === '') return 'nicknameEmpty';
  if (name.length > NICKNAME_MAX) return 'nicknameLong';
  if (taken.some((other) => other.toLocaleLowerCase() === name.toLocaleLowerCase())) return 'nicknameTaken';
  return secretProblem(pin, kind) ?? (pin === pinAgain ? undefined : 'pinMismatch');
}

interface NewProfile {
  nickname: string;
  pin: string;
  pinAgain: string;
  role: ProfileRecord['role'];
}

/** What a profile stores for a PIN (or passcode): a fresh salt, the count, and the data key wrapped under it. */
async function pinCredential(
  pin: string,
  key: CryptoKey,
  iterations: number,
  kind: SecretKind = 'pin',
): Promise<Pick<ProfileRecord, 'salt' | 'iterations' | 'pinDigits' | 'passcode' | 'wrappedKey'>> {
  const salt = toBase64(randomBytes(PIN_SALT_BYTES));
  const bits = await derivePinBits(pin, { salt, iterations });
  const wrappedKey = await wrapDataKey(key, await wrappingKey(bits));
  // A passcode's length is not kept: the unlock screen waits for the "Avaa" tap.
  return kind === 'passcode'
    ? { salt, iterations, pinDigits: undefined, passcode: true, wrappedKey }
    : { salt, iterations, pinDigits: pin.length, passcode: undefined, wrappedKey };
}

/** The data key of the unlocked area: giving someone a PIN wraps it, so it must be open. */
function heldKey(): CryptoKey {
  const key = dataKey();
  if (!key) throw new ProfileError('notAllowed');
  return key;
}

async function addProfile(input: NewProfile, iterations: number, now: number): Promise<ProfileRecord> {
  const existing = await listProfiles();
  const problem = newProfileProblem(
    input.nickname,
    input.pin,
    input.pinAgain,
    existing.map((p) => p.nickname),
  );
  if (problem) throw new ProfileError(problem);
  const credential = await pinCredential(input.pin, heldKey(), iterations);
  const profile: ProfileRecord = { id: crypto.randomUUID(), nickname: input.nickname.trim(), role: input.role, createdAt: now, ...credential };
  await addProfileRow(profile);
  return profile;
}

/** First-run setup: only while the tablet has no profile at all; the first profile is the site admin. A new data key is made and held. */
export async function createFirstProfile(
  nickname: string,
  pin: string,
  pinAgain: string,
  iterations = PIN_ITERATIONS,
  now = Date.now(),
  kind: SecretKind = 'pin',
): Promise<ProfileRecord> {
  const key = await newDataKey();
  // Derived before the transaction (WebCrypto would end it), then one transaction, so two taps cannot both make a "first" admin.
  const credential = secretProblem(pin, kind) ? undefined : await pinCredential(pin, key, iterations, kind);
  const profile = await addFirstProfile(() => {
    const problem = newProfileProblem(nickname, pin, pinAgain, [], kind);
    if (problem || !credential) throw new ProfileError(problem ?? 'pinShort');
    return { id: crypto.randomUUID(), nickname: nickname.trim(), role: 'admin', createdAt: now, ...credential };
  });
  if (!profile) throw new ProfileError('notAllowed');
  holdDataKey(key);
  return profile;
}

async function requireAdmin(actorId: string): Promise<ProfileRecord> {
  const actor = await profileById(actorId);
  if (actor?.role !== 'admin') throw new ProfileError('notAllowed');
  return actor;
}

/**
 * The site admin who has unlocked the tablet right now, or ProfileError('notAllowed'). Restore, backup export and wipe
 * call it themselves, so hiding their buttons is not the only thing that stops an instructor.
 */
export async function requireUnlockedAdmin(): Promise<ProfileRecord> {
  const id = currentInstructorId();
  if (id === undefined) throw new ProfileError('notAllowed');
  return requireAdmin(id);
}

/** Profiles that can be opened with a PIN now (one restored from a backup waits for a site admin to give it one). */
export const hasPin = (profile: ProfileRecord): boolean =>
  typeof profile.salt === 'string' && typeof profile.iterations === 'number' && (typeof profile.wrappedKey === 'string' || typeof profile.pinHash === 'string');

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i += 1) difference |= a[i]! ^ b[i]!;
  return difference === 0;
}

/**
 * The first unlock after the update on a tablet whose profiles still have PIN hashes: a data key is made and wrapped
 * for every such profile under its stored hash — which is exactly that PIN's PBKDF2 output, so each PIN opens its copy
 * as if it had been made with it — and every hash is deleted. False when another tab got there first.
 */
async function adoptDataKey(key: CryptoKey): Promise<boolean> {
  const legacy = (await listProfiles()).filter((p) => typeof p.pinHash === 'string' && typeof p.wrappedKey !== 'string');
  const wraps = new Map<string, string>();
  for (const profile of legacy) wraps.set(profile.id, await wrapDataKey(key, await wrappingKey(fromBase64(profile.pinHash!))));
  return storeWrappedKeysIfNone(wraps);
}

/** The data key this PIN opens for this profile, or undefined when it is the wrong PIN. */
async function openWithPin(profile: ProfileRecord, pin: string): Promise<CryptoKey | undefined> {
  if (!hasPin(profile)) return undefined;
  const bits = await derivePinBits(pin, { salt: profile.salt!, iterations: profile.iterations! });
  if (typeof profile.wrappedKey === 'string') return unwrapDataKey(profile.wrappedKey, await wrappingKey(bits));
  if (!sameBytes(bits, fromBase64(profile.pinHash!))) return undefined;
  const key = await newDataKey();
  if (await adoptDataKey(key)) return key;
  const again = await profileById(profile.id); // wrapped meanwhile by another tab: open that copy
  return again?.wrappedKey ? unwrapDataKey(again.wrappedKey, await wrappingKey(bits)) : undefined;
}

/** A site admin adds an instructor (or another admin). */
export async function addInstructor(actorId: string, input: NewProfile, iterations = PIN_ITERATIONS, now = Date.now()): Promise<ProfileRecord> {
  await requireAdmin(actorId);
  return addProfile(input, iterations, now);
}

/**
 * Tries a PIN for a profile, refusing tries during the delay. Wrong PINs are counted for the whole tablet and for the
 * profile: a right PIN clears the tablet's count and its own profile's, never another's, so an instructor who knows
 * their own PIN cannot start the admin's count again between guesses.
 */
export async function unlockWithPin(profileId: string, pin: string, now = Date.now()): Promise<UnlockResult> {
  const [tablet, own] = await Promise.all([loadLockout(), loadLockout(profileId)]);
  const wait = Math.max(remainingWaitMs(tablet, now), remainingWaitMs(own, now));
  if (wait > 0) return { ok: false, reason: 'wait', waitMs: wait };
  const profile = await profileById(profileId);
  const key = profile && (await openWithPin(profile, pin));
  if (profile && key) {
    holdDataKey(key);
    await Promise.all([saveLockout(NO_FAILURES), saveLockout(NO_FAILURES, profileId)]);
    // Profiles made before the length was kept learn it at their first right PIN (a passcode's length is never kept).
    if (!profile.passcode && profile.pinDigits !== pin.length) await updateProfile(profile.id, { pinDigits: pin.length });
    return { ok: true, profile };
  }
  const [nextTablet, nextOwn] = [afterWrongPin(tablet, now), afterWrongPin(own, now)];
  await Promise.all([saveLockout(nextTablet), saveLockout(nextOwn, profileId)]);
  return { ok: false, reason: 'wrongPin', waitMs: Math.max(remainingWaitMs(nextTablet, now), remainingWaitMs(nextOwn, now)) };
}

/**
 * An instructor changes their own PIN; the current PIN is asked again so an unlocked, unattended tablet is not enough.
 * A site admin may choose a longer passcode instead (kind 'passcode'), and back.
 */
export async function changeOwnPin(
  profileId: string,
  currentPin: string,
  newPin: string,
  newPinAgain: string,
  iterations = PIN_ITERATIONS,
  kind: SecretKind = 'pin',
): Promise<void> {
  const problem = secretProblem(newPin, kind) ?? (newPin === newPinAgain ? undefined : 'pinMismatch');
  if (problem) throw new ProfileError(problem);
  if (kind === 'passcode' && (await profileById(profileId))?.role !== 'admin') throw new ProfileError('notAllowed');
  const result = await unlockWithPin(profileId, currentPin);
  if (!result.ok) throw new ProfileError('wrongPin');
  await updateProfile(profileId, { ...(await pinCredential(newPin, heldKey(), iterations, kind)), pinHash: undefined });
}

/** A site admin sets a new PIN for someone who forgot theirs. */
export async function resetPin(actorId: string, targetId: string, newPin: string, newPinAgain: string, iterations = PIN_ITERATIONS): Promise<void> {
  await requireAdmin(actorId);
  const problem = pinProblem(newPin) ?? (newPin === newPinAgain ? undefined : 'pinMismatch');
  if (problem) throw new ProfileError(problem);
  if (!(await profileById(targetId))) throw new ProfileError('notAllowed');
  await updateProfile(targetId, { ...(await pinCredential(newPin, heldKey(), iterations)), pinHash: undefined });
}

/** Who may remove whom: an admin anyone, an instructor only themselves; the last admin always stays. */
export function mayRemove(actor: ProfileRecord, target: ProfileRecord, profiles: readonly ProfileRecord[]): true | 'notAllowed' | 'lastAdmin' {
  if (actor.role !== 'admin' && actor.id !== target.id) return 'notAllowed';
  if (target.role === 'admin' && profiles.filter((p) => p.role === 'admin').length <= 1) return 'lastAdmin';
  return true;
}

export async function removeProfile(actorId: string, targetId: string): Promise<void> {
  await removeProfileChecked(targetId, (profiles) => {
    const actor = profiles.find((p) => p.id === actorId);
    const target = profiles.find((p) => p.id === targetId);
    if (!actor || !target) throw new ProfileError('notAllowed');
    const verdict = mayRemove(actor, target, profiles);
    if (verdict !== true) throw new ProfileError(verdict);
  });
}
