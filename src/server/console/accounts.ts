// Owns making console accounts, for the CLI (`user create`) and a coordinator's POST /users alike: checks in plain
// words, a one-time set-up token (only its hash is kept) and the link that opens the console's set-up page.
import { randomBytes, randomUUID } from 'node:crypto';
import { AdminInputError } from '../admin';
import { sha256Hex } from '../credentials';
import type { Store } from '../store';
import { ROLES, type ConsoleStore, type ConsoleUser, type Role } from './console-store';

export const SETUP_DAYS = 7;
const EMAIL_MAX = 254;

/** An email as stored and compared: trimmed and lowercased; undefined when it does not look like one. */
export function normaliseEmail(email: unknown): string | undefined {
  if (typeof email !== 'string') return undefined;
  const trimmed = email.trim().toLowerCase();
  return trimmed.length <= EMAIL_MAX && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(trimmed) ? trimmed : undefined;
}

export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** The console's set-up page with the token in the fragment, so it never reaches a server log or a Referer. */
export function setupLink(base: string, token: string): string {
  return `${base.replace(/\/+$/, '')}/console/#setup=${encodeURIComponent(token)}`;
}

export interface CreatedAccount {
  user: ConsoleUser;
  token: string;
  expiresAt: number;
}

/** Makes an account of the organisation (a site admin of one of its sites) and its one-time set-up token. */
export async function createConsoleAccount(
  store: Store,
  consoleStore: ConsoleStore,
  input: { orgId: string; siteId?: string | null; role: unknown; email: unknown },
  now: number,
): Promise<CreatedAccount> {
  const email = normaliseEmail(input.email);
  if (!email) throw new AdminInputError("Give the person's email address, like name@example.org.");
  if (!ROLES.includes(input.role as Role)) throw new AdminInputError('The role must be "coordinator" (the whole organisation) or "site-admin" (one site).');
  const role = input.role as Role;
  if (!(await store.findOrganisation(input.orgId))) throw new AdminInputError(`There is no organisation with id ${input.orgId}. See "org list".`);
  let siteId: string | null = null;
  if (role === 'site-admin') {
    if (!input.siteId) throw new AdminInputError('A site admin belongs to one site: give the site (--site <siteId>).');
    const site = await store.findSite(input.siteId);
    if (!site || site.orgId !== input.orgId) throw new AdminInputError(`There is no site with id ${input.siteId} in this organisation. See "site list".`);
    siteId = site.id;
  } else if (input.siteId) {
    throw new AdminInputError('A coordinator sees the whole organisation: leave out the site, or make a site admin.');
  }
  const token = newSecret();
  const expiresAt = now + SETUP_DAYS * 86_400_000;
  const user: ConsoleUser = { id: randomUUID(), email, role, orgId: input.orgId, siteId };
  if (!(await consoleStore.createUser(user, sha256Hex(token), expiresAt, now))) throw new AdminInputError(`${email} already has a console account.`);
  return { user, token, expiresAt };
}
