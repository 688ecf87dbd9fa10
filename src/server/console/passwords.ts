// Owns console passwords: argon2id (memory-hard) with OWASP's minimum settings, as a PHC string with its own salt.
import { randomBytes } from 'node:crypto';
import { argon2id, argon2Verify } from 'hash-wasm';

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;

/** argon2id's memory (KiB) and passes. */
export interface PasswordCost {
  memoryKiB: number;
  iterations: number;
}
// OWASP Password Storage Cheat Sheet: argon2id, 19 MiB, 2 passes, 1 lane.
export const DEFAULT_PASSWORD_COST: PasswordCost = { memoryKiB: 19_456, iterations: 2 };

/** What is wrong with a new password, in plain words; undefined when it will do. */
export function passwordProblem(password: unknown): string | undefined {
  if (typeof password !== 'string') return 'The password must be text.';
  if ([...password].length < PASSWORD_MIN)
    return `The password is too short: use at least ${PASSWORD_MIN} characters (a few words in a row is easy to remember).`;
  if ([...password].length > PASSWORD_MAX) return `The password is too long: at most ${PASSWORD_MAX} characters.`;
  return undefined;
}

export async function hashPassword(password: string, cost: PasswordCost = DEFAULT_PASSWORD_COST): Promise<string> {
  return argon2id({
    password: password.normalize('NFC'),
    salt: randomBytes(16),
    parallelism: 1,
    iterations: cost.iterations,
    memorySize: cost.memoryKiB,
    hashLength: 32,
    outputType: 'encoded',
  });
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2Verify({ password: password.normalize('NFC'), hash });
  } catch {
    return false; // a stored value that is not a PHC string never matches
  }
}

/** A hash to verify against when the account does not exist, so an unknown email takes as long as a wrong password. */
const decoys = new Map<string, Promise<string>>();
export function decoyHash(cost: PasswordCost = DEFAULT_PASSWORD_COST): Promise<string> {
  const key = `${cost.memoryKiB}/${cost.iterations}`;
  if (!decoys.has(key)) decoys.set(key, hashPassword(randomBytes(16).toString('hex'), cost));
  return decoys.get(key)!;
}
