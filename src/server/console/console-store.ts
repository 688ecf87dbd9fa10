// Owns the console's own queries: accounts, sessions, passkeys, WebAuthn challenges, login failures, the audit log,
// and the console's one write to synced data (hiding a guide). Same database as the sync store, SQLite or PostgreSQL.
import { sql, type Kysely, type Selectable } from 'kysely';
import { compareHlc, parseHlc, serializeHlc, successorHlc } from '../../protocol';
import type { ServerDatabase } from '../store/schema';

export type Role = 'coordinator' | 'site-admin';
export const ROLES: readonly Role[] = ['coordinator', 'site-admin'];

export interface ConsoleUser {
  id: string;
  email: string;
  role: Role;
  orgId: string;
  siteId: string | null;
}

export interface ConsoleUserDetails extends ConsoleUser {
  createdAt: number;
  lastLoginAt: number | null;
  hasPassword: boolean;
  passkeys: number;
}

export interface ConsoleSession {
  idHash: string;
  user: ConsoleUser;
  csrfToken: string;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
}

export interface StoredPasskey {
  id: string;
  userId: string;
  publicKey: string;
  counter: number;
  transports: string[];
}

export interface AuditEntry {
  id: number;
  at: number;
  actor: string;
  action: string;
  target: string | null;
  detail: Record<string, unknown>;
}

type UserRow = Selectable<ServerDatabase['console_users']>;
function toUser(row: UserRow): ConsoleUser {
  return { id: row.id, email: row.email, role: row.role as Role, orgId: row.org_id, siteId: row.site_id };
}

export class ConsoleStore {
  constructor(private readonly db: Kysely<ServerDatabase>) {}

  // --- Accounts -----------------------------------------------------------------------------------------------

  /** False when the email already has an account (emails are unique across the server: one login, one organisation). */
  async createUser(user: ConsoleUser, setupTokenHash: string, setupExpiresAt: number, now: number): Promise<boolean> {
    const existing = await this.db.selectFrom('console_users').select('id').where('email', '=', user.email).executeTakeFirst();
    if (existing) return false;
    await this.db
      .insertInto('console_users')
      .values({
        id: user.id,
        org_id: user.orgId,
        site_id: user.siteId,
        email: user.email,
        role: user.role,
        password_hash: null,
        setup_token_hash: setupTokenHash,
        setup_expires_at: setupExpiresAt,
        created_at: now,
        last_login_at: null,
      })
      .execute();
    return true;
  }

  async findUserByEmail(email: string): Promise<(ConsoleUser & { passwordHash: string | null }) | undefined> {
    const row = await this.db.selectFrom('console_users').selectAll().where('email', '=', email).executeTakeFirst();
    return row && { ...toUser(row), passwordHash: row.password_hash };
  }

  async findUser(id: string): Promise<(ConsoleUser & { passwordHash: string | null }) | undefined> {
    const row = await this.db.selectFrom('console_users').selectAll().where('id', '=', id).executeTakeFirst();
    return row && { ...toUser(row), passwordHash: row.password_hash };
  }

  async listUsers(orgId: string): Promise<ConsoleUserDetails[]> {
    const rows = await this.db.selectFrom('console_users').selectAll().where('org_id', '=', orgId).orderBy('created_at').orderBy('email').execute();
    const counts = await this.db
      .selectFrom('console_passkeys')
      .innerJoin('console_users', 'console_users.id', 'console_passkeys.user_id')
      .select(['console_passkeys.user_id as userId', (eb) => eb.fn.countAll<number>().as('n')])
      .where('console_users.org_id', '=', orgId)
      .groupBy('console_passkeys.user_id')
      .execute();
    const passkeys = new Map(counts.map((row) => [row.userId, Number(row.n)]));
    return rows.map((row) => ({
      ...toUser(row),
      createdAt: Number(row.created_at),
      lastLoginAt: row.last_login_at === null ? null : Number(row.last_login_at),
      hasPassword: row.password_hash !== null,
      passkeys: passkeys.get(row.id) ?? 0,
    }));
  }

  /** Uses a set-up token once: sets the password and forgets the token. Undefined when unknown, used or expired. */
  async useSetupToken(tokenHash: string, passwordHash: string, now: number): Promise<ConsoleUser | undefined> {
    const row = await this.db
      .updateTable('console_users')
      .set({ password_hash: passwordHash, setup_token_hash: null, setup_expires_at: null })
      .where('setup_token_hash', '=', tokenHash)
      .where('setup_expires_at', '>', now)
      .returningAll()
      .executeTakeFirst();
    return row && toUser(row);
  }

  async setPassword(userId: string, passwordHash: string): Promise<void> {
    await this.db.updateTable('console_users').set({ password_hash: passwordHash }).where('id', '=', userId).execute();
  }

  async noteLogin(userId: string, now: number): Promise<void> {
    await this.db.updateTable('console_users').set({ last_login_at: now }).where('id', '=', userId).execute();
  }

  // --- Sessions -----------------------------------------------------------------------------------------------

  async createSession(session: { idHash: string; userId: string; csrfToken: string; createdAt: number; expiresAt: number }): Promise<void> {
    await this.db
      .insertInto('console_sessions')
      .values({
        id_hash: session.idHash,
        user_id: session.userId,
        csrf_token: session.csrfToken,
        created_at: session.createdAt,
        last_seen_at: session.createdAt,
        expires_at: session.expiresAt,
      })
      .execute();
  }

  /** The session and its account, or undefined when there is none (expiry is the caller's rule). */
  async findSession(idHash: string): Promise<ConsoleSession | undefined> {
    const row = await this.db
      .selectFrom('console_sessions')
      .innerJoin('console_users', 'console_users.id', 'console_sessions.user_id')
      .selectAll('console_users')
      .select([
        'console_sessions.id_hash',
        'console_sessions.csrf_token',
        'console_sessions.created_at as session_created_at',
        'console_sessions.last_seen_at',
        'console_sessions.expires_at',
      ])
      .where('console_sessions.id_hash', '=', idHash)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      idHash: row.id_hash,
      user: toUser(row),
      csrfToken: row.csrf_token,
      createdAt: Number(row.session_created_at),
      lastSeenAt: Number(row.last_seen_at),
      expiresAt: Number(row.expires_at),
    };
  }

  async touchSession(idHash: string, now: number): Promise<void> {
    await this.db.updateTable('console_sessions').set({ last_seen_at: now }).where('id_hash', '=', idHash).execute();
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.db.deleteFrom('console_sessions').where('id_hash', '=', idHash).execute();
  }

  /** Ends every session of the account (but `keep`, when given). */
  async deleteSessionsOf(userId: string, keep?: string): Promise<number> {
    let query = this.db.deleteFrom('console_sessions').where('user_id', '=', userId);
    if (keep) query = query.where('id_hash', '!=', keep);
    return Number((await query.executeTakeFirst()).numDeletedRows);
  }

  /** Forgets ended sessions, used challenges and old login failures. */
  async purge(now: number, idleMs: number, failureWindowMs: number): Promise<void> {
    await this.db
      .deleteFrom('console_sessions')
      .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<=', now - idleMs)]))
      .execute();
    await this.db.deleteFrom('console_challenges').where('expires_at', '<=', now).execute();
    await this.db
      .deleteFrom('console_login_failures')
      .where('at', '<=', now - failureWindowMs)
      .execute();
  }

  // --- Login failures (the rate limit every server process shares) ------------------------------------------------

  async noteLoginFailure(keys: string[], now: number): Promise<void> {
    await this.db
      .insertInto('console_login_failures')
      .values(keys.map((key) => ({ key, at: now })))
      .execute();
  }

  /** Failures of this key since `since`, and the oldest of them (when the wait ends). */
  async loginFailures(key: string, since: number): Promise<{ count: number; oldest: number | null }> {
    const row = await this.db
      .selectFrom('console_login_failures')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min<number>('at').as('oldest')])
      .where('key', '=', key)
      .where('at', '>', since)
      .executeTakeFirstOrThrow();
    return { count: Number(row.n), oldest: row.oldest === null ? null : Number(row.oldest) };
  }

  async clearLoginFailures(key: string): Promise<void> {
    await this.db.deleteFrom('console_login_failures').where('key', '=', key).execute();
  }

  // --- Passkeys -----------------------------------------------------------------------------------------------

  async addPasskey(passkey: StoredPasskey, now: number): Promise<void> {
    await this.db
      .insertInto('console_passkeys')
      .values({
        id: passkey.id,
        user_id: passkey.userId,
        public_key: passkey.publicKey,
        counter: passkey.counter,
        transports: JSON.stringify(passkey.transports),
        created_at: now,
      })
      .execute();
  }

  async findPasskey(id: string): Promise<StoredPasskey | undefined> {
    const row = await this.db.selectFrom('console_passkeys').selectAll().where('id', '=', id).executeTakeFirst();
    return (
      row && { id: row.id, userId: row.user_id, publicKey: row.public_key, counter: Number(row.counter), transports: JSON.parse(row.transports) as string[] }
    );
  }

  async passkeysOf(userId: string): Promise<StoredPasskey[]> {
    const rows = await this.db.selectFrom('console_passkeys').selectAll().where('user_id', '=', userId).orderBy('created_at').execute();
    return rows.map((row) => ({
      id: row.id,
      userId: row.user_id,
      publicKey: row.public_key,
      counter: Number(row.counter),
      transports: JSON.parse(row.transports) as string[],
    }));
  }

  async setPasskeyCounter(id: string, counter: number): Promise<void> {
    await this.db.updateTable('console_passkeys').set({ counter }).where('id', '=', id).execute();
  }

  async saveChallenge(challenge: { id: string; challenge: string; userId: string | null; expiresAt: number }): Promise<void> {
    await this.db
      .insertInto('console_challenges')
      .values({ id: challenge.id, challenge: challenge.challenge, user_id: challenge.userId, expires_at: challenge.expiresAt })
      .execute();
  }

  /** Takes a challenge once: it is deleted as it is read, so a second verify with it finds nothing. */
  async takeChallenge(id: string, now: number): Promise<{ challenge: string; userId: string | null } | undefined> {
    const row = await this.db.deleteFrom('console_challenges').where('id', '=', id).returningAll().executeTakeFirst();
    if (!row || Number(row.expires_at) <= now) return undefined;
    return { challenge: row.challenge, userId: row.user_id };
  }

  // --- Audit log ----------------------------------------------------------------------------------------------

  async audit(entry: { orgId: string; at: number; actor: string; action: string; target?: string | null; detail?: Record<string, unknown> }): Promise<void> {
    await this.db
      .insertInto('console_audit')
      .values({
        org_id: entry.orgId,
        at: entry.at,
        actor: entry.actor,
        action: entry.action,
        target: entry.target ?? null,
        detail: JSON.stringify(entry.detail ?? {}),
      })
      .execute();
  }

  /** The organisation's audit entries, newest first; `before` an id for the next page. */
  async auditEntries(orgId: string, limit: number, before?: number): Promise<AuditEntry[]> {
    let query = this.db.selectFrom('console_audit').selectAll().where('org_id', '=', orgId).orderBy('id', 'desc').limit(limit);
    if (before !== undefined) query = query.where('id', '<', before);
    return (await query.execute()).map((row) => ({
      id: Number(row.id),
      at: Number(row.at),
      actor: row.actor,
      action: row.action,
      target: row.target,
      detail: JSON.parse(row.detail) as Record<string, unknown>,
    }));
  }

  // --- What the tablets said about themselves -------------------------------------------------------------------

  async noteTabletReport(deviceId: string, report: { appVersion?: string; waiting?: number }, now: number): Promise<void> {
    const set: { app_version?: string; waiting_reported?: number; waiting_reported_at?: number } = {};
    if (report.appVersion !== undefined) set.app_version = report.appVersion;
    if (report.waiting !== undefined) {
      set.waiting_reported = report.waiting;
      set.waiting_reported_at = now;
    }
    if (Object.keys(set).length) await this.db.updateTable('devices').set(set).where('id', '=', deviceId).execute();
  }

  async tabletReports(orgId: string): Promise<Map<string, { appVersion: string | null; waiting: number | null; waitingAt: number | null }>> {
    const rows = await this.db
      .selectFrom('devices')
      .select(['id', 'app_version', 'waiting_reported', 'waiting_reported_at'])
      .where('org_id', '=', orgId)
      .execute();
    return new Map(
      rows.map((row) => [
        row.id,
        {
          appVersion: row.app_version,
          waiting: row.waiting_reported === null ? null : Number(row.waiting_reported),
          waitingAt: row.waiting_reported_at === null ? null : Number(row.waiting_reported_at),
        },
      ]),
    );
  }

  // --- Hiding a guide -----------------------------------------------------------------------------------------

  /**
   * Tombstones an organisation guide as a tablet's delete would: `deleted` = 1 with a clock after every clock of the
   * record, and the organisation's next change number, so every tablet's next pull takes it. The organisation's row
   * is locked as a push locks it. False: the organisation has no such guide.
   */
  async hideGuide(orgId: string, guideId: string, now: number): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const counter = await trx
        .updateTable('organisations')
        .set((eb) => ({ change_seq: eb.ref('change_seq') }))
        .where('id', '=', orgId)
        .returning(['change_seq'])
        .executeTakeFirst();
      if (!counter) return false;
      const row = await trx
        .selectFrom('records')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('site_id', '=', '')
        .where('table_name', '=', 'guides')
        .where('id', '=', guideId)
        .executeTakeFirst();
      if (!row) return false;
      const fields = JSON.parse(row.fields) as Record<string, unknown>;
      const clocks = JSON.parse(row.field_clocks) as Record<string, string>;
      const latest = [row.hlc, ...Object.values(clocks)].reduce((a, b) => (compareHlc(a, b) >= 0 ? a : b));
      const parsed = parseHlc(latest);
      const after = parsed && parsed.wallMs >= now ? successorHlc(parsed, 'console') : { wallMs: now, counter: 0, node: 'console' };
      const clock = serializeHlc(after);
      const seq = Number(counter.change_seq) + 1;
      await trx
        .updateTable('records')
        .set({
          fields: JSON.stringify({ ...fields, deleted: 1 }),
          field_clocks: JSON.stringify({ ...clocks, deleted: clock }),
          hlc: clock,
          seq,
          server_updated_at: now,
        })
        .where('org_id', '=', orgId)
        .where('site_id', '=', '')
        .where('table_name', '=', 'guides')
        .where('id', '=', guideId)
        .execute();
      await trx.updateTable('organisations').set({ change_seq: seq }).where('id', '=', orgId).execute();
      return true;
    });
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }
}
