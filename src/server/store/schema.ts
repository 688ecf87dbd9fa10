// Owns the server's table shapes as kysely sees them: one description shared by the SQLite and PostgreSQL stores.
import type { Generated } from 'kysely';

export interface OrganisationsTable {
  id: string;
  name: string;
  created_at: number;
  /** Random per organisation and database: a cursor from another organisation or a restored database is unknown. */
  cursor_epoch: string;
  /** Last change sequence number given out; bumped inside the push transaction that writes the change. */
  change_seq: number;
  /** Room for the organisation's pictures in bytes; null: the server's default. */
  blob_quota_bytes: number | null;
  /** Months the organisation keeps logs and feedback; null: RETENTION_DEFAULT_MONTHS. */
  retention_months: Generated<number | null>;
}

export interface SitesTable {
  id: string;
  org_id: string;
  name: string;
  created_at: number;
}

export interface EnrolmentCodesTable {
  /** SHA-256 of the normalised code: a leaked database does not leak usable codes. */
  code_hash: string;
  org_id: string;
  site_id: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  device_id: string | null;
}

export interface DevicesTable {
  id: string;
  org_id: string;
  site_id: string;
  name: string;
  /** SHA-256 of the token's secret part; the token itself is never stored. */
  token_hash: string;
  created_at: number;
  last_seen_at: number | null;
  revoked_at: number | null;
  /** 1: the device's next request is told to erase its local data. */
  wipe: number;
  last_mutation_id: number;
  /** The largest clock the server has kept for this device's mutations ('' before the first): clamps come after it. */
  last_hlc: Generated<string>;
  /** What the tablet last sent in X-Digituki-App-Version (0008_console). */
  app_version: Generated<string | null>;
  /** How many changes the tablet last said were waiting to be sent (X-Digituki-Waiting), and when. */
  waiting_reported: Generated<number | null>;
  waiting_reported_at: Generated<number | null>;
  /** Protocol v2: the device's ECDSA P-256 public key as JWK text; null for a v1 device (bearer token only). */
  public_key: Generated<string | null>;
}

export interface RecordsTable {
  org_id: string;
  /** The site for site-scoped tables (sessions, feedback); '' for organisation-wide ones (guides, steps). */
  site_id: string;
  table_name: string;
  id: string;
  fields: string;
  field_clocks: string;
  hlc: string;
  /** The organisation's change sequence number of the last commit that changed this record: the pull cursor. */
  seq: number;
  server_updated_at: number;
  /** The device whose push last changed an organisation guide or step (0010_changed_by); null for other tables and older rows. */
  changed_by: Generated<string | null>;
  /** When the server took that push (ms); null with changed_by. */
  changed_at: Generated<number | null>;
}

export interface QuarantineTable {
  id: Generated<number>;
  org_id: string;
  site_id: string;
  device_id: string;
  mutation_id: number;
  reason: string;
  message: string;
  /** The refused mutation, cut short, for an administrator to look at; removed after QUARANTINE_KEEP_DAYS. */
  payload: string;
  created_at: number;
}

export interface BlobsTable {
  org_id: string;
  hash: string;
  type: string;
  size: number;
  bytes: Uint8Array;
  created_at: number;
}

/** Settings of the database itself: `generation` (see migrations, 0003). */
export interface ServerMetaTable {
  key: string;
  value: string;
}

/** A digest of each mutation the server applied or quarantined, kept QUARANTINE_KEEP_DAYS: the content guard. */
export interface MutationLogTable {
  device_id: string;
  mutation_id: number;
  digest: string;
  created_at: number;
}

/**
 * A change the server kept at another clock than it was sent with (a clamp), by `change_key` (table/id/clock as sent):
 * the same change sent again, from any tablet, is kept at `kept_hlc` again (0012_kept_clocks).
 */
export interface KeptClocksTable {
  org_id: string;
  change_key: string;
  kept_hlc: string;
  created_at: number;
}

/** A console account: a coordinator (site_id null) or a site admin (0008_console). */
export interface ConsoleUsersTable {
  id: string;
  org_id: string;
  site_id: string | null;
  /** Lowercased. */
  email: string;
  role: string;
  /** argon2id PHC string; null until the account's set-up link is used. */
  password_hash: string | null;
  /** SHA-256 of the one-time set-up token; null once used. */
  setup_token_hash: string | null;
  setup_expires_at: number | null;
  created_at: number;
  last_login_at: number | null;
}

/** A logged-in browser: the SHA-256 of its cookie's secret, so a leaked database gives no usable session. */
export interface ConsoleSessionsTable {
  id_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: number;
  last_seen_at: number;
  /** The absolute end, whatever the activity. */
  expires_at: number;
}

export interface ConsolePasskeysTable {
  /** The credential id, base64url. */
  id: string;
  user_id: string;
  /** The COSE public key, base64url. */
  public_key: string;
  counter: number;
  /** JSON array of transports. */
  transports: string;
  created_at: number;
}

/** A WebAuthn challenge handed out, single use. */
export interface ConsoleChallengesTable {
  id: string;
  challenge: string;
  /** Set for registration (the logged-in account); null for a passkey login. */
  user_id: string | null;
  expires_at: number;
}

/** One failed console login, by 'email:<email>' or 'address:<address>', for the rate limit shared by all processes. */
export interface ConsoleLoginFailuresTable {
  key: string;
  at: number;
}

/** Who did what and when in the console or the CLI; never personal data beyond the account email. */
export interface ConsoleAuditTable {
  id: Generated<number>;
  org_id: string;
  at: number;
  actor: string;
  action: string;
  target: string | null;
  /** JSON object. */
  detail: string;
}

/** A nonce given to a device to sign (protocol v2); single use, removed when used or expired. */
export interface AuthChallengesTable {
  nonce_hash: string;
  device_id: string;
  expires_at: number;
}

/** A short-lived access token (protocol v2), as a hash of its secret. */
export interface AccessTokensTable {
  token_hash: string;
  device_id: string;
  expires_at: number;
}

/** A log or feedback answer that retention deleted: a later change to it is refused. */
export interface ExpiredRecordsTable {
  org_id: string;
  site_id: string;
  table_name: string;
  id: string;
  expired_at: number;
}

/** An organisation's note key pair (0006): public key raw and private key PKCS#8, both base64url. */
export interface OrgNoteKeysTable {
  org_id: string;
  public_key: string;
  private_key: string;
  created_at: number;
}

export interface ServerDatabase {
  organisations: OrganisationsTable;
  sites: SitesTable;
  enrolment_codes: EnrolmentCodesTable;
  devices: DevicesTable;
  records: RecordsTable;
  quarantine: QuarantineTable;
  blobs: BlobsTable;
  server_meta: ServerMetaTable;
  mutation_log: MutationLogTable;
  kept_clocks: KeptClocksTable;
  console_users: ConsoleUsersTable;
  console_sessions: ConsoleSessionsTable;
  console_passkeys: ConsolePasskeysTable;
  console_challenges: ConsoleChallengesTable;
  console_login_failures: ConsoleLoginFailuresTable;
  console_audit: ConsoleAuditTable;
  auth_challenges: AuthChallengesTable;
  access_tokens: AccessTokensTable;
  expired_records: ExpiredRecordsTable;
  org_note_keys: OrgNoteKeysTable;
}
