// Owns the schema history of the server database. Migrations run at every start; applied ones are skipped.
//
// kysely's Migrator records applied migrations in kysely_migration and takes a lock (an advisory lock on
// PostgreSQL), so two server processes starting at once over one database do not both migrate.
import { randomBytes } from 'node:crypto';
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

export type Dialect = 'sqlite' | 'postgres';

function migrationsFor(dialect: Dialect): Record<string, Migration> {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  const bytes = dialect === 'postgres' ? 'bytea' : 'blob';
  return {
    '0001_initial': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('organisations')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('created_at', bigint, (c) => c.notNull())
          .addColumn('cursor_epoch', 'text', (c) => c.notNull())
          .addColumn('change_seq', bigint, (c) => c.notNull().defaultTo(0))
          .execute();
        await db.schema
          .createTable('sites')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('created_at', bigint, (c) => c.notNull())
          .execute();
        await db.schema.createIndex('sites_by_org').on('sites').column('org_id').execute();
        await db.schema
          .createTable('enrolment_codes')
          .addColumn('code_hash', 'text', (c) => c.primaryKey())
          .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
          .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
          .addColumn('created_at', bigint, (c) => c.notNull())
          .addColumn('expires_at', bigint, (c) => c.notNull())
          .addColumn('used_at', bigint)
          .addColumn('device_id', 'text')
          .execute();
        await db.schema
          .createTable('devices')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
          .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('token_hash', 'text', (c) => c.notNull())
          .addColumn('created_at', bigint, (c) => c.notNull())
          .addColumn('last_seen_at', bigint)
          .addColumn('revoked_at', bigint)
          .addColumn('wipe', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('last_mutation_id', bigint, (c) => c.notNull().defaultTo(0))
          .execute();
        await db.schema.createIndex('devices_by_org').on('devices').column('org_id').execute();
        await db.schema
          .createTable('records')
          .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
          .addColumn('site_id', 'text', (c) => c.notNull())
          .addColumn('table_name', 'text', (c) => c.notNull())
          .addColumn('id', 'text', (c) => c.notNull())
          .addColumn('fields', 'text', (c) => c.notNull())
          .addColumn('field_clocks', 'text', (c) => c.notNull())
          .addColumn('hlc', 'text', (c) => c.notNull())
          .addColumn('seq', bigint, (c) => c.notNull())
          .addColumn('server_updated_at', bigint, (c) => c.notNull())
          .addPrimaryKeyConstraint('records_pk', ['org_id', 'site_id', 'table_name', 'id'])
          .execute();
        // Pull reads an organisation's changes in sequence order.
        await db.schema.createIndex('records_by_org_seq').on('records').columns(['org_id', 'seq']).execute();
        await db.schema
          .createTable('quarantine')
          .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
          .addColumn('org_id', 'text', (c) => c.notNull())
          .addColumn('site_id', 'text', (c) => c.notNull())
          .addColumn('device_id', 'text', (c) => c.notNull())
          .addColumn('mutation_id', bigint, (c) => c.notNull())
          .addColumn('reason', 'text', (c) => c.notNull())
          .addColumn('message', 'text', (c) => c.notNull())
          .addColumn('payload', 'text', (c) => c.notNull())
          .addColumn('created_at', bigint, (c) => c.notNull())
          .execute();
        await db.schema.createIndex('quarantine_by_org').on('quarantine').columns(['org_id', 'created_at']).execute();
        await db.schema
          .createTable('blobs')
          .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
          .addColumn('hash', 'text', (c) => c.notNull())
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('size', 'integer', (c) => c.notNull())
          .addColumn('bytes', bytes, (c) => c.notNull())
          .addColumn('created_at', bigint, (c) => c.notNull())
          .addPrimaryKeyConstraint('blobs_pk', ['org_id', 'hash'])
          .execute();
      },
    },
    // The largest clock kept for each device, so a clock that runs ahead is replaced by one after it (issue 11).
    '0002_device_clock': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .alterTable('devices')
          .addColumn('last_hlc', 'text', (c) => c.notNull().defaultTo(''))
          .execute();
      },
    },
    '0003_generation_and_mutation_log': {
      async up(db: Kysely<unknown>) {
        // One row per setting of the database itself. `generation` is random and changes whenever the database may
        // have gone back in time (restored from a backup): every pull cursor carries it, so no old cursor outlives it.
        await db.schema
          .createTable('server_meta')
          .addColumn('key', 'text', (c) => c.primaryKey())
          .addColumn('value', 'text', (c) => c.notNull())
          .execute();
        await sql`insert into server_meta (key, value) values ('generation', ${newGeneration()})`.execute(db);
        // What each applied mutation contained (a digest), so a mutationId sent again with other content is noticed.
        await db.schema
          .createTable('mutation_log')
          .addColumn('device_id', 'text', (c) => c.notNull())
          .addColumn('mutation_id', bigint, (c) => c.notNull())
          .addColumn('digest', 'text', (c) => c.notNull())
          .addColumn('created_at', bigint, (c) => c.notNull())
          .addPrimaryKeyConstraint('mutation_log_pk', ['device_id', 'mutation_id'])
          .execute();
        await db.schema.createIndex('mutation_log_by_time').on('mutation_log').column('created_at').execute();
      },
    },
    '0004_blob_quota': {
      async up(db: Kysely<unknown>) {
        // Room for an organisation's pictures in bytes; null: the server's default (PICTURE_QUOTA_MB).
        await db.schema.alterTable('organisations').addColumn('blob_quota_bytes', bigint).execute();
        // Collecting unreferenced pictures looks for old ones per organisation.
        await db.schema.createIndex('blobs_by_org_created').on('blobs').columns(['org_id', 'created_at']).execute();
      },
    },
    // The coordinator's console (issue 18): accounts, their sessions and passkeys, login failures and the audit log,
    // all in the database so two server processes share them; and what a tablet last said about itself.
    '0008_console': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('console_users')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
          .addColumn('site_id', 'text', (c) => c.references('sites.id'))
          .addColumn('email', 'text', (c) => c.notNull().unique())
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('password_hash', 'text')
          .addColumn('setup_token_hash', 'text')
          .addColumn('setup_expires_at', bigint)
          .addColumn('created_at', bigint, (c) => c.notNull())
          .addColumn('last_login_at', bigint)
          .execute();
        await db.schema.createIndex('console_users_by_org').on('console_users').column('org_id').execute();
        await db.schema
          .createTable('console_sessions')
          .addColumn('id_hash', 'text', (c) => c.primaryKey())
          .addColumn('user_id', 'text', (c) => c.notNull())
          .addColumn('csrf_token', 'text', (c) => c.notNull())
          .addColumn('created_at', bigint, (c) => c.notNull())
          .addColumn('last_seen_at', bigint, (c) => c.notNull())
          .addColumn('expires_at', bigint, (c) => c.notNull())
          .execute();
        await db.schema.createIndex('console_sessions_by_user').on('console_sessions').column('user_id').execute();
        await db.schema
          .createTable('console_passkeys')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('user_id', 'text', (c) => c.notNull())
          .addColumn('public_key', 'text', (c) => c.notNull())
          .addColumn('counter', bigint, (c) => c.notNull())
          .addColumn('transports', 'text', (c) => c.notNull())
          .addColumn('created_at', bigint, (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('console_challenges')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('challenge', 'text', (c) => c.notNull())
          .addColumn('user_id', 'text')
          .addColumn('expires_at', bigint, (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('console_login_failures')
          .addColumn('key', 'text', (c) => c.notNull())
          .addColumn('at', bigint, (c) => c.notNull())
          .execute();
        await db.schema.createIndex('console_login_failures_by_key').on('console_login_failures').columns(['key', 'at']).execute();
        await db.schema
          .createTable('console_audit')
          .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
          .addColumn('org_id', 'text', (c) => c.notNull())
          .addColumn('at', bigint, (c) => c.notNull())
          .addColumn('actor', 'text', (c) => c.notNull())
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('target', 'text')
          .addColumn('detail', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('console_audit_by_org').on('console_audit').columns(['org_id', 'id']).execute();
        // What the tablet last told about itself in its sync requests' headers.
        await db.schema.alterTable('devices').addColumn('app_version', 'text').execute();
        await db.schema.alterTable('devices').addColumn('waiting_reported', bigint).execute();
        await db.schema.alterTable('devices').addColumn('waiting_reported_at', bigint).execute();
      },
    },
    // Protocol v2 (issue 13): a device bound to a key pair proves possession for short-lived access tokens; the pull
    // window and each organisation's retention of logs and feedback.
    '0005_device_keys_and_retention': {
      async up(db: Kysely<unknown>) {
        // The device's public key (JWK text); null: a v1 device that still signs in with its bearer token.
        await db.schema.alterTable('devices').addColumn('public_key', 'text').execute();
        // Single-use nonces a device signs, kept in the database so any server process can check them.
        await db.schema
          .createTable('auth_challenges')
          .addColumn('nonce_hash', 'text', (c) => c.primaryKey())
          .addColumn('device_id', 'text', (c) => c.notNull())
          .addColumn('expires_at', bigint, (c) => c.notNull())
          .execute();
        await db.schema.createIndex('auth_challenges_by_expiry').on('auth_challenges').column('expires_at').execute();
        // Short-lived access tokens (a hash of each): minutes, then the device signs a new nonce.
        await db.schema
          .createTable('access_tokens')
          .addColumn('token_hash', 'text', (c) => c.primaryKey())
          .addColumn('device_id', 'text', (c) => c.notNull())
          .addColumn('expires_at', bigint, (c) => c.notNull())
          .execute();
        await db.schema.createIndex('access_tokens_by_expiry').on('access_tokens').column('expires_at').execute();
        // Months the organisation keeps logs and feedback; null: the default (RETENTION_DEFAULT_MONTHS).
        await db.schema.alterTable('organisations').addColumn('retention_months', 'integer').execute();
        // Logs and feedback that retention deleted: a tablet's later change to one is refused, never a new record.
        await db.schema
          .createTable('expired_records')
          .addColumn('org_id', 'text', (c) => c.notNull())
          .addColumn('site_id', 'text', (c) => c.notNull())
          .addColumn('table_name', 'text', (c) => c.notNull())
          .addColumn('id', 'text', (c) => c.notNull())
          .addColumn('expired_at', bigint, (c) => c.notNull())
          .addPrimaryKeyConstraint('expired_records_pk', ['org_id', 'site_id', 'table_name', 'id'])
          .execute();
      },
    },
    // Each organisation's note key pair (issue 13): tablets seal session notes to the public key; the private key stays
    // here and opens them when a push is applied (README, "Session notes").
    '0006_org_note_keys': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('org_note_keys')
          .addColumn('org_id', 'text', (c) => c.primaryKey().references('organisations.id'))
          .addColumn('public_key', 'text', (c) => c.notNull())
          .addColumn('private_key', 'text', (c) => c.notNull())
          .addColumn('created_at', bigint, (c) => c.notNull())
          .execute();
      },
    },
    // Which tablet last changed an organisation guide or guide step, and when the server took that change (issue 18):
    // the console names the tablet. Rows written before this stay null ("not known"); never sent to tablets.
    '0010_changed_by': {
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('records').addColumn('changed_by', 'text').execute();
        await db.schema.alterTable('records').addColumn('changed_at', bigint).execute();
      },
    },
    // A pull reads its site's records and the organisation's in change order: two short index ranges instead of every
    // site's records of the organisation after the cursor, most of them another site's (issue 16).
    '0011_records_by_site': {
      async up(db: Kysely<unknown>) {
        await db.schema.createIndex('records_by_org_site_seq').on('records').columns(['org_id', 'site_id', 'seq']).execute();
      },
    },
    // The clocks the server kept for changes it clamped, so the same change sent again by another tablet (from a restored
    // backup) is kept at that clock too and cannot beat the first tablet's later edits. Kept for good: a backup can be
    // restored months later, and a clamp is rare (a tablet with a wrong date).
    '0012_kept_clocks': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('kept_clocks')
          .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
          .addColumn('change_key', 'text', (c) => c.notNull())
          .addColumn('kept_hlc', 'text', (c) => c.notNull())
          .addColumn('created_at', bigint, (c) => c.notNull())
          .addPrimaryKeyConstraint('kept_clocks_pk', ['org_id', 'change_key'])
          .execute();
      },
    },
  };
}

/** A database generation: 16 random hex digits. */
export function newGeneration(): string {
  return randomBytes(8).toString('hex');
}

export async function migrateToLatest(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const provider: MigrationProvider = { getMigrations: async () => migrationsFor(dialect) };
  // In PostgreSQL, keep kysely's own bookkeeping tables in our schema: otherwise it may find another schema's
  // migration table (e.g. in public) and then fail to lock or record migrations in ours.
  const migrationTableSchema =
    dialect === 'postgres' ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema : undefined;
  const { error, results } = await new Migrator({ db, provider, ...(migrationTableSchema ? { migrationTableSchema } : {}) }).migrateToLatest();
  if (error) {
    const failed = results?.find((result) => result.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`Database migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
