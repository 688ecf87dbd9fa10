// The site admin's longer passcode (issue 13 item 5): the rule's property tests, and that a passcode profile opens
// the same wrapped data key as a PIN would — with its passcode only — and is re-wrapped from PIN to passcode and back.
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect } from 'vitest';
import { db } from '../../../src/db/db';
import { it } from '../support/database';
import { dataKey, decryptLocal, encryptLocal } from '../../../src/lock/data-key';
import { NO_FAILURES } from '../../../src/lock/lockout';
import { dispatchMode, lockNow } from '../../../src/lock/mode';
import { PASSCODE_MAX_LENGTH, PASSCODE_MIN_LENGTH, passcodeProblem, secretProblem } from '../../../src/lock/pin';
import { addInstructor, changeOwnPin, createFirstProfile, ProfileError, resetPin, unlockWithPin } from '../../../src/lock/profiles';
import { loadLockout, saveLockout } from '../../../src/lock/settings';

const FAST = 1_000;
const PASSCODE = 'kahvi7Kuppi42';

const letter = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzåäöABCDEFGHIJKLMNOPQRSTUVWXYZÅÄÖ');
const digit = fc.constantFrom(...'0123456789');
const other = fc.constantFrom(...' -_.!?#');

describe('the passcode rule', () => {
  it('accepts every passcode of 10 to 64 characters that has a letter and a digit', () => {
    fc.assert(
      fc.property(
        letter,
        digit,
        fc.array(fc.oneof(letter, digit, other), { minLength: PASSCODE_MIN_LENGTH - 2, maxLength: PASSCODE_MAX_LENGTH - 2 }),
        (l, d, rest) => {
          expect(passcodeProblem([l, d, ...rest].join(''))).toBeUndefined();
          expect(passcodeProblem([...rest, d, l].join(''))).toBeUndefined();
        },
      ),
    );
  });

  it('refuses anything shorter than 10 or longer than 64 characters, whatever it holds', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(letter, digit, other), { maxLength: PASSCODE_MIN_LENGTH - 1 }), (chars) => {
        expect(passcodeProblem(chars.join(''))).toBe('passcodeShort');
      }),
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(letter, digit), { minLength: PASSCODE_MAX_LENGTH + 1, maxLength: 100 }), (chars) => {
        expect(passcodeProblem(chars.join(''))).toBe('passcodeShort');
      }),
    );
  });

  it('refuses a long enough passcode with only letters or only digits', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(letter, other), { minLength: PASSCODE_MIN_LENGTH, maxLength: PASSCODE_MAX_LENGTH }), (chars) => {
        expect(passcodeProblem(chars.join(''))).toBe('passcodeMix');
      }),
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(digit, other), { minLength: PASSCODE_MIN_LENGTH, maxLength: PASSCODE_MAX_LENGTH }), (chars) => {
        expect(passcodeProblem(chars.join(''))).toBe('passcodeMix');
      }),
    );
  });

  it('counts characters, not UTF-16 units, and the PIN rule still applies to PINs', () => {
    expect(passcodeProblem('äöåäöå123')).toBe('passcodeShort'); // 9 characters
    expect(passcodeProblem('äöåäöå1234')).toBeUndefined();
    expect(secretProblem(PASSCODE, 'pin')).toBe('pinDigits');
    expect(secretProblem('582947', 'passcode')).toBe('passcodeShort');
  });
});

beforeEach(async () => {
  await saveLockout(NO_FAILURES);
});
afterEach(() => {
  lockNow();
  db().close();
});

/** Unlocks and says whether it opened the key that reads `sample` (a note encrypted earlier). */
async function opens(profileId: string, secret: string, sample: string): Promise<boolean> {
  lockNow();
  const result = await unlockWithPin(profileId, secret);
  if (!result.ok) return false;
  dispatchMode({ type: 'unlock', profileId, at: Date.now() });
  return (await decryptLocal(sample, dataKey()!)) === 'näyte';
}

describe('a site admin with a passcode', () => {
  it('set up with a passcode: it opens the data key, a wrong one does not and is counted, its length is not kept', async () => {
    await expect(createFirstProfile('Anna', 'lyhyt1', 'lyhyt1', FAST, Date.now(), 'passcode')).rejects.toEqual(new ProfileError('passcodeShort'));
    await expect(createFirstProfile('Anna', PASSCODE, `${PASSCODE}x`, FAST, Date.now(), 'passcode')).rejects.toEqual(new ProfileError('pinMismatch'));
    const admin = await createFirstProfile('Anna', PASSCODE, PASSCODE, FAST, Date.now(), 'passcode');
    const sample = await encryptLocal('näyte', dataKey()!);
    const stored = (await db().profiles.get(admin.id))!;
    expect(stored).toMatchObject({ passcode: true, iterations: FAST });
    expect(stored.pinDigits).toBeUndefined();
    expect(JSON.stringify(stored)).not.toContain(PASSCODE);

    expect(await opens(admin.id, 'kahvi7Kuppi43', sample)).toBe(false);
    expect((await loadLockout(admin.id)).failures).toBe(1);
    expect((await loadLockout()).failures).toBe(1);
    expect(await opens(admin.id, PASSCODE, sample)).toBe(true);
    expect((await loadLockout(admin.id)).failures).toBe(0);
    expect((await db().profiles.get(admin.id))!.pinDigits).toBeUndefined(); // a right unlock does not learn its length
  });

  it('changes from a PIN to a passcode and back: the data key is re-wrapped each time, the old secret stops working', async () => {
    const admin = await createFirstProfile('Anna', '582947', '582947', FAST);
    const sample = await encryptLocal('näyte', dataKey()!);
    const before = (await db().profiles.get(admin.id))!.wrappedKey;

    await expect(changeOwnPin(admin.id, '582947', 'kahvikuppi', 'kahvikuppi', FAST, 'passcode')).rejects.toEqual(new ProfileError('passcodeMix'));
    await changeOwnPin(admin.id, '582947', PASSCODE, PASSCODE, FAST, 'passcode');
    const asPasscode = (await db().profiles.get(admin.id))!;
    expect(asPasscode.passcode).toBe(true);
    expect(asPasscode.pinDigits).toBeUndefined();
    expect(asPasscode.wrappedKey).not.toBe(before);
    expect(await opens(admin.id, '582947', sample)).toBe(false);
    expect(await opens(admin.id, PASSCODE, sample)).toBe(true);

    await changeOwnPin(admin.id, PASSCODE, '604918', '604918', FAST, 'pin');
    const asPin = (await db().profiles.get(admin.id))!;
    expect(asPin.passcode).toBeUndefined();
    expect(asPin.pinDigits).toBe(6);
    expect(asPin.wrappedKey).not.toBe(asPasscode.wrappedKey);
    expect(await opens(admin.id, PASSCODE, sample)).toBe(false);
    expect(await opens(admin.id, '604918', sample)).toBe(true);
  });

  it('only a site admin may choose a passcode; an admin reset gives a forgotten passcode profile a PIN again', async () => {
    const admin = await createFirstProfile('Anna', '582947', '582947', FAST);
    const sample = await encryptLocal('näyte', dataKey()!);
    const ville = await addInstructor(admin.id, { nickname: 'Ville', pin: '283746', pinAgain: '283746', role: 'instructor' }, FAST);
    const other = await addInstructor(admin.id, { nickname: 'Mari', pin: '394857', pinAgain: '394857', role: 'admin' }, FAST);
    await expect(changeOwnPin(ville.id, '283746', PASSCODE, PASSCODE, FAST, 'passcode')).rejects.toEqual(new ProfileError('notAllowed'));
    expect(await opens(ville.id, '283746', sample)).toBe(true);

    await changeOwnPin(other.id, '394857', PASSCODE, PASSCODE, FAST, 'passcode');
    expect(await opens(admin.id, '582947', sample)).toBe(true);
    await resetPin(admin.id, other.id, '720394', '720394', FAST);
    expect((await db().profiles.get(other.id))!.passcode).toBeUndefined();
    expect(await opens(other.id, PASSCODE, sample)).toBe(false);
    expect(await opens(other.id, '720394', sample)).toBe(true);
  });
});
