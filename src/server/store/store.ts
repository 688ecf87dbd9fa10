// Owns every query the server makes, written once with kysely and run on SQLite or PostgreSQL.
//
// Tenancy lives here: every query that touches synced data takes the organisation (and the site for site-scoped
// tables) from the authenticated device, never from the request, so one organisation cannot reach another's rows.
import { CompiledQuery, sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import { BLOB_REFERENCE_FIELDS, DATED_FIELDS, RETENTION_DEFAULT_MONTHS, type SyncedTable } from '../../protocol';
import type { Dialect } from './migrations';
import { migrateToLatest, newGeneration } from './migrations';
import type { ServerDatabase } from './schema';

export interface Organisation {
  id: string;
  name: string;
  createdAt: number;
}

export interface Site {
  id: string;
  orgId: string;
  name: string;
  createdAt: number;
}

export interface Device {
  id: string;
  orgId: string;
  siteId: string;
  name: string;
  tokenHash: string;
  createdAt: number;
  lastSeenAt: number | null;
  revokedAt: number | null;
  wipe: boolean;
  lastMutationId: number;
  /** Protocol v2: the device's public key (JWK text) once bound; then only access tokens it earned by signing count. */
  publicKey: string | null;
}

/** Where a record lives: organisation-wide records have siteId ''. */
export interface RecordKey {
  orgId: string;
  siteId: string;
  table: string;
  id: string;
}

export interface StoredRecord extends RecordKey {
  fields: Record<string, unknown>;
  fieldClocks: Record<string, string>;
  hlc: string;
  seq: number;
}

/** A record as a push writes it: `changedBy` is the device that changed it, kept only where the push says (organisation guides and steps). */
export interface ChangedRecord extends StoredRecord {
  changedBy?: string | null;
}

/** The last tablet change the server took of one record: which device and when (server time); see 0010_changed_by. */
export interface TabletChange {
  table: string;
  id: string;
  fields: Record<string, unknown>;
  deviceId: string;
  at: number;
  seq: number;
}

export interface QuarantineEntry {
  orgId: string;
  siteId: string;
  deviceId: string;
  mutationId: number;
  reason: string;
  message: string;
  payload: string;
  createdAt: number;
}

export interface BlobUsage {
  usedBytes: number;
  quotaBytes: number;
}

export interface StoredBlob {
  hash: string;
  type: string;
  size: number;
  bytes: Uint8Array;
}

/** A device's place in its numbering as its locked row says: the last mutation id and clock the server kept. */
export interface DeviceProgress {
  lastMutationId: number;
  /** The largest clock kept for this device so far ('' for none). */
  lastHlc: string;
}

/**
 * What a group of pushes of one organisation may do, inside one transaction that holds their devices' rows (and the
 * organisation's change counter, once taken). A group of one is an ordinary push.
 */
export interface PushTransaction {
  /** The group's devices as their locked rows say; a device that is gone (removed meanwhile) is missing. */
  readonly devices: ReadonlyMap<string, DeviceProgress>;
  /**
   * Locks the organisation's change counter until the transaction ends and answers the last number given out. Taken
   * before reading the records the pushes will write, so no other push of the organisation changes them meanwhile.
   */
  lockChangeCounter(): Promise<number>;
  /**
   * In one query: the stored records with these keys (those that exist), and those of the `dated` keys (logs and
   * feedback answers) that retention deleted, where a change is refused and never makes a new record.
   */
  findRecords(keys: readonly RecordKey[], dated: readonly RecordKey[]): Promise<{ stored: StoredRecord[]; expired: RecordKey[] }>;
  /**
   * Writes these records (each key once), each with its change number (and changer), in one multi-row upsert, and moves
   * the counter to `lastSeq` (one statement on PostgreSQL).
   */
  saveRecords(records: readonly ChangedRecord[], lastSeq: number, now: number): Promise<void>;
  quarantine(entries: readonly QuarantineEntry[]): Promise<void>;
  blobsPresent(orgId: string, hashes: string[]): Promise<Set<string>>;
  /** The digests of one device's mutations with these ids that the server still remembers. */
  mutationDigests(deviceId: string, mutationIds: number[]): Promise<Map<number, string>>;
  /** Remembers what these mutations said (applied or quarantined), in one statement for the whole group. */
  logMutations(entries: readonly { deviceId: string; mutationId: number; digest: string }[], now: number): Promise<void>;
  /** Of these changes (change keys: table/id/clock as sent), those the server kept at another clock before: key → that clock. */
  keptClocks(changeKeys: readonly string[]): Promise<Map<string, string>>;
  /** Remembers the clocks clamped changes were kept at; a change remembered before keeps its first clock. */
  rememberKeptClocks(entries: readonly { changeKey: string; hlc: string }[], now: number): Promise<void>;
  /** Writes each device's last mutation id and clock, before the counter lock (one statement on PostgreSQL). */
  settleDevices(entries: readonly ({ deviceId: string } & DeviceProgress)[]): Promise<void>;
}

export interface StoreStats {
  organisations: number;
  sites: number;
  devices: number;
  activeDevices: number;
  records: Record<string, number>;
  blobs: number;
  blobBytes: number;
  quarantined: number;
}

/** Quarantined mutations may hold what a client should not have sent: they are kept only this long. */
export const QUARANTINE_KEEP_DAYS = 30;

export class Store {
  constructor(
    readonly kind: Dialect,
    private readonly db: Kysely<ServerDatabase>,
    private readonly onClose: () => Promise<void> = async () => {},
  ) {}

  async migrate(now = Date.now()): Promise<void> {
    await migrateToLatest(this.db as Kysely<unknown>, this.kind);
    await this.purgeExpired(now);
  }

  /** Forgets what is kept only for a while: quarantined mutations (and mutation digests) older than QUARANTINE_KEEP_DAYS. Returns how many went. */
  async purgeExpired(now: number): Promise<number> {
    const before = now - QUARANTINE_KEEP_DAYS * 86_400_000;
    const quarantined = await this.db.deleteFrom('quarantine').where('created_at', '<', before).executeTakeFirst();
    const logged = await this.db.deleteFrom('mutation_log').where('created_at', '<', before).executeTakeFirst();
    // Nonces and access tokens live minutes; expired ones are useless and go.
    const challenges = await this.db.deleteFrom('auth_challenges').where('expires_at', '<', now).executeTakeFirst();
    const tokens = await this.db.deleteFrom('access_tokens').where('expires_at', '<', now).executeTakeFirst();
    return Number(quarantined.numDeletedRows) + Number(logged.numDeletedRows) + Number(challenges.numDeletedRows) + Number(tokens.numDeletedRows);
  }

  // --- Database generation ------------------------------------------------------------------------------------

  /** The database's generation: every pull cursor carries it, and a cursor of another generation means "start over". */
  async generation(): Promise<string> {
    const row = await this.db.selectFrom('server_meta').select('value').where('key', '=', 'generation').executeTakeFirstOrThrow();
    return row.value;
  }

  /** Starts a new generation: every tablet's cursor becomes unknown and its next pull is a full resend. */
  async rotateGeneration(): Promise<string> {
    const generation = newGeneration();
    await this.db.updateTable('server_meta').set({ value: generation }).where('key', '=', 'generation').execute();
    return generation;
  }

  /** Each organisation's change counter, for the watermark kept outside the database. */
  async changeCounters(): Promise<Record<string, number>> {
    const rows = await this.db.selectFrom('organisations').select(['id', 'change_seq']).execute();
    return Object.fromEntries(rows.map((row) => [row.id, Number(row.change_seq)]));
  }

  async ping(): Promise<boolean> {
    const result = await sql<{ ok: number }>`select 1 as ok`.execute(this.db);
    return result.rows.length === 1;
  }

  close(): Promise<void> {
    return this.db.destroy().then(this.onClose);
  }

  /** The same database for the console's own queries (src/server/console/store.ts). */
  get database(): Kysely<ServerDatabase> {
    return this.db;
  }

  // --- Organisations, sites, enrolment ------------------------------------------------------------------------

  async createOrganisation(organisation: Organisation, cursorEpoch: string): Promise<void> {
    await this.db
      .insertInto('organisations')
      .values({ id: organisation.id, name: organisation.name, created_at: organisation.createdAt, cursor_epoch: cursorEpoch, change_seq: 0 })
      .execute();
  }

  async listOrganisations(): Promise<Organisation[]> {
    const rows = await this.db.selectFrom('organisations').select(['id', 'name', 'created_at']).orderBy('created_at').orderBy('id').execute();
    return rows.map((row) => ({ id: row.id, name: row.name, createdAt: Number(row.created_at) }));
  }

  async findOrganisation(id: string): Promise<(Organisation & { cursorEpoch: string; changeSeq: number }) | undefined> {
    const row = await this.db.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst();
    return row && { id: row.id, name: row.name, createdAt: Number(row.created_at), cursorEpoch: row.cursor_epoch, changeSeq: Number(row.change_seq) };
  }

  /**
   * The organisation's note key pair, made on first need (`make`). Two processes asking at once keep one: the first
   * insert wins and both read it back.
   */
  async orgNoteKeys(
    orgId: string,
    make: () => Promise<{ publicKey: string; privateKey: string }>,
    now: number,
  ): Promise<{ publicKey: string; privateKey: string }> {
    const read = () => this.db.selectFrom('org_note_keys').select(['public_key', 'private_key']).where('org_id', '=', orgId).executeTakeFirst();
    let row = await read();
    if (!row) {
      const made = await make();
      await this.db
        .insertInto('org_note_keys')
        .values({ org_id: orgId, public_key: made.publicKey, private_key: made.privateKey, created_at: now })
        .onConflict((conflict) => conflict.column('org_id').doNothing())
        .execute();
      row = await read();
    }
    if (!row) throw new Error('The organisation note key could not be stored.');
    return { publicKey: row.public_key, privateKey: row.private_key };
  }

  /** Renames an organisation; false when there is none with that id. */
  async renameOrganisation(id: string, name: string): Promise<boolean> {
    const result = await this.db.updateTable('organisations').set({ name }).where('id', '=', id).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Renames a site; false when there is none with that id. */
  async renameSite(id: string, name: string): Promise<boolean> {
    const result = await this.db.updateTable('sites').set({ name }).where('id', '=', id).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async createSite(site: Site): Promise<void> {
    await this.db.insertInto('sites').values({ id: site.id, org_id: site.orgId, name: site.name, created_at: site.createdAt }).execute();
  }

  async findSite(id: string): Promise<Site | undefined> {
    const row = await this.db.selectFrom('sites').selectAll().where('id', '=', id).executeTakeFirst();
    return row && { id: row.id, orgId: row.org_id, name: row.name, createdAt: Number(row.created_at) };
  }

  async listSites(orgId?: string): Promise<Site[]> {
    let query = this.db.selectFrom('sites').selectAll().orderBy('created_at').orderBy('id');
    if (orgId) query = query.where('org_id', '=', orgId);
    return (await query.execute()).map((row) => ({ id: row.id, orgId: row.org_id, name: row.name, createdAt: Number(row.created_at) }));
  }

  async createEnrolmentCode(code: { codeHash: string; orgId: string; siteId: string; createdAt: number; expiresAt: number }): Promise<void> {
    await this.db
      .insertInto('enrolment_codes')
      .values({
        code_hash: code.codeHash,
        org_id: code.orgId,
        site_id: code.siteId,
        created_at: code.createdAt,
        expires_at: code.expiresAt,
        used_at: null,
        device_id: null,
      })
      .execute();
  }

  /** Uses the code and creates the device in one transaction: a code enrols exactly one device. */
  async enrolDevice(codeHash: string, device: Omit<Device, 'orgId' | 'siteId'>, now: number): Promise<Device | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const claimed = await trx
        .updateTable('enrolment_codes')
        .set({ used_at: now, device_id: device.id })
        .where('code_hash', '=', codeHash)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .returning(['org_id', 'site_id'])
        .executeTakeFirst();
      if (!claimed) return undefined;
      const enrolled: Device = { ...device, orgId: claimed.org_id, siteId: claimed.site_id };
      await trx
        .insertInto('devices')
        .values({
          id: enrolled.id,
          org_id: enrolled.orgId,
          site_id: enrolled.siteId,
          name: enrolled.name,
          token_hash: enrolled.tokenHash,
          created_at: enrolled.createdAt,
          last_seen_at: null,
          revoked_at: null,
          wipe: 0,
          last_mutation_id: 0,
          public_key: enrolled.publicKey,
        })
        .execute();
      return enrolled;
    });
  }

  // --- Devices ------------------------------------------------------------------------------------------------

  async findDevice(id: string): Promise<Device | undefined> {
    const row = await this.db.selectFrom('devices').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toDevice(row);
  }

  async listDevices(orgId?: string): Promise<Device[]> {
    let query = this.db.selectFrom('devices').selectAll().orderBy('created_at').orderBy('id');
    if (orgId) query = query.where('org_id', '=', orgId);
    return (await query.execute()).map(toDevice);
  }

  async touchDevice(id: string, now: number): Promise<void> {
    await this.db.updateTable('devices').set({ last_seen_at: now }).where('id', '=', id).execute();
  }

  /** Stops the device at once; with `wipe` its next request also tells it to erase its data. False: no such device. */
  async revokeDevice(id: string, wipe: boolean, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('devices')
      .set((eb) => ({ revoked_at: eb.fn.coalesce('revoked_at', eb.val(now)), wipe: wipe ? 1 : eb.ref('wipe') }))
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  // --- Device keys and access tokens (protocol v2) -------------------------------------------------------------

  /**
   * Binds a v1 device to its public key and forgets its bearer token in one update: from now on only signed proofs
   * count. False when the device is unknown or already has a key.
   */
  async bindDeviceKey(id: string, publicKey: string): Promise<boolean> {
    const result = await this.db
      .updateTable('devices')
      .set({ public_key: publicKey, token_hash: '' })
      .where('id', '=', id)
      .where('public_key', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async createChallenge(deviceId: string, nonceHash: string, expiresAt: number): Promise<void> {
    await this.db.insertInto('auth_challenges').values({ nonce_hash: nonceHash, device_id: deviceId, expires_at: expiresAt }).execute();
  }

  /** Uses up a nonce of this device: true once, when it exists and has not expired (any server process, one use). */
  async takeChallenge(deviceId: string, nonceHash: string, now: number): Promise<boolean> {
    const taken = await this.db
      .deleteFrom('auth_challenges')
      .where('nonce_hash', '=', nonceHash)
      .where('device_id', '=', deviceId)
      .returning('expires_at')
      .executeTakeFirst();
    return !!taken && Number(taken.expires_at) > now;
  }

  async createAccessToken(deviceId: string, tokenHash: string, expiresAt: number): Promise<void> {
    await this.db.insertInto('access_tokens').values({ token_hash: tokenHash, device_id: deviceId, expires_at: expiresAt }).execute();
  }

  /** The device an unexpired access token was given to, by the hash of its secret. */
  async findAccessToken(tokenHash: string, now: number): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('access_tokens')
      .select('device_id')
      .where('token_hash', '=', tokenHash)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return row?.device_id;
  }

  // --- Retention of logs and feedback -------------------------------------------------------------------------

  /** The organisation's retention in months, and whether it is the default; undefined: no such organisation. */
  async getRetention(orgId: string): Promise<{ months: number; isDefault: boolean } | undefined> {
    const row = await this.db.selectFrom('organisations').select('retention_months').where('id', '=', orgId).executeTakeFirst();
    if (!row) return undefined;
    return row.retention_months === null ? { months: RETENTION_DEFAULT_MONTHS, isDefault: true } : { months: Number(row.retention_months), isDefault: false };
  }

  /** Sets the organisation's retention in months (checked by the caller); null returns it to the default. False: no such organisation. */
  async setRetention(orgId: string, months: number | null): Promise<boolean> {
    const result = await this.db.updateTable('organisations').set({ retention_months: months }).where('id', '=', orgId).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /**
   * Deletes the organisation's logs and feedback dated before `before`, remembering their keys (a later change to one
   * is refused), in one transaction with the organisation's row locked so no push writes one meanwhile. No change
   * number is given out: a tablet that pulled a record keeps its copy, and no tablet is sent anything for it.
   */
  async expireRecords(orgId: string, before: number, now: number): Promise<Record<string, number>> {
    return this.db.transaction().execute(async (trx) => {
      await lockOrganisation(trx, orgId);
      const old = await trx
        .selectFrom('records')
        .select(['site_id', 'table_name', 'id'])
        .where('org_id', '=', orgId)
        .where('table_name', 'in', Object.keys(DATED_FIELDS))
        .where(sql<boolean>`${recordDate(this.kind)} < ${before}`)
        .execute();
      const counts: Record<string, number> = Object.fromEntries(Object.keys(DATED_FIELDS).map((table) => [table, 0]));
      for (let at = 0; at < old.length; at += 200) {
        const chunk = old.slice(at, at + 200);
        await trx
          .insertInto('expired_records')
          .values(chunk.map((row) => ({ org_id: orgId, site_id: row.site_id, table_name: row.table_name, id: row.id, expired_at: now })))
          .onConflict((oc) => oc.columns(['org_id', 'site_id', 'table_name', 'id']).doNothing())
          .execute();
        for (const row of chunk) {
          await trx
            .deleteFrom('records')
            .where('org_id', '=', orgId)
            .where('site_id', '=', row.site_id)
            .where('table_name', '=', row.table_name)
            .where('id', '=', row.id)
            .execute();
          counts[row.table_name] = (counts[row.table_name] ?? 0) + 1;
        }
      }
      return counts;
    });
  }

  // --- Push ---------------------------------------------------------------------------------------------------

  /**
   * Runs a group of pushes of one organisation in one transaction (push-groups.ts gathers them; usually a group of
   * one). It first locks the devices' rows (two pushes of one device never interleave), in id order so two groups
   * never wait for each other in a circle. The pushes lock the organisation row (its change counter) only when they
   * have records to read and write, after everything they can check alone. Holding the counter row until commit
   * serialises that organisation's writers, so change sequence numbers become visible in the order they were given
   * out: a reader never sees seq 12 committed while seq 11 is still in flight and later skipped. A plain PostgreSQL
   * sequence would not promise that. The lock order devices → organisation is the same for everyone.
   */
  async pushGroup<T>(orgId: string, deviceIds: readonly string[], work: (tx: PushTransaction) => Promise<T>): Promise<T> {
    const ids = [...new Set(deviceIds)].sort();
    return this.db.transaction().execute(async (trx) => {
      // SQLite: a write first, so the transaction holds the database's write lock from the start (no upgrade later).
      const locked =
        this.kind === 'postgres'
          ? await trx
              .selectFrom('devices')
              .select(['id', 'last_mutation_id', 'last_hlc'])
              .where('org_id', '=', orgId)
              .where('id', 'in', ids)
              .orderBy('id')
              .forUpdate()
              .execute()
          : await trx
              .updateTable('devices')
              .set((eb) => ({ last_mutation_id: eb.ref('last_mutation_id') }))
              .where('org_id', '=', orgId)
              .where('id', 'in', ids)
              .returning(['id', 'last_mutation_id', 'last_hlc'])
              .execute();
      const devices = new Map(locked.map((row) => [row.id, { lastMutationId: Number(row.last_mutation_id), lastHlc: row.last_hlc }]));
      let counterLocked = false;
      const tx: PushTransaction = {
        devices,
        lockChangeCounter: async () => {
          const counter = await trx
            .updateTable('organisations')
            .set((eb) => ({ change_seq: eb.ref('change_seq') }))
            .where('id', '=', orgId)
            .returning(['change_seq'])
            .executeTakeFirstOrThrow();
          counterLocked = true;
          return Number(counter.change_seq);
        },
        findRecords: (keys, dated) => findRecords(trx, this.kind, orgId, keys, dated),
        saveRecords: async (records, lastSeq, now) => {
          // Numbers given out without the lock could become visible out of order.
          if (!counterLocked) throw new Error("Records are numbered only while the organisation's change counter is locked.");
          if (records.some((record) => record.orgId !== orgId)) throw new Error("A push writes only its own organisation's records.");
          await saveRecords(trx, this.kind, orgId, records, lastSeq, now);
        },
        quarantine: async (entries) => {
          for (let at = 0; at < entries.length; at += ROWS_PER_STATEMENT) {
            await trx
              .insertInto('quarantine')
              .values(
                entries.slice(at, at + ROWS_PER_STATEMENT).map((entry) => ({
                  org_id: entry.orgId,
                  site_id: entry.siteId,
                  device_id: entry.deviceId,
                  mutation_id: entry.mutationId,
                  reason: entry.reason,
                  message: entry.message,
                  payload: entry.payload,
                  created_at: entry.createdAt,
                })),
              )
              .execute();
          }
        },
        mutationDigests: async (deviceId, mutationIds) => {
          if (!mutationIds.length) return new Map();
          const rows = await trx
            .selectFrom('mutation_log')
            .select(['mutation_id', 'digest'])
            .where('device_id', '=', deviceId)
            .where('mutation_id', 'in', mutationIds)
            .execute();
          return new Map(rows.map((row) => [Number(row.mutation_id), row.digest]));
        },
        logMutations: async (entries, now) => {
          if (!entries.length) return;
          if (this.kind === 'sqlite') {
            const values: unknown[] = [];
            for (const entry of entries) values.push(entry.deviceId, entry.mutationId, entry.digest, now);
            await insertValues(trx, MUTATION_LOG_INSERT, values);
            return;
          }
          const columns = { v: 'text', m: 'bigint', d: 'text' } as const;
          const rows = JSON.stringify(entries.map((entry) => ({ v: entry.deviceId, m: entry.mutationId, d: entry.digest })));
          await sql`
            insert into mutation_log (device_id, mutation_id, digest, created_at)
            select ${jsonColumns(this.kind, columns)}, cast(${now} as bigint) ${jsonRowsFrom(this.kind, rows, columns)}
            on conflict (device_id, mutation_id) do update set digest = excluded.digest, created_at = excluded.created_at`.execute(trx);
        },
        keptClocks: async (changeKeys) => {
          if (!changeKeys.length) return new Map();
          // The keys as one JSON parameter: the statement's text stays the same whatever the push's size.
          const keys = JSON.stringify(changeKeys);
          const listed = this.kind === 'postgres' ? sql`select json_array_elements_text(${keys}::json)` : sql`select value from json_each(${keys})`;
          const { rows } = await sql<{ change_key: string; kept_hlc: string }>`
            select change_key, kept_hlc from kept_clocks where org_id = ${orgId} and change_key in (${listed})`.execute(trx);
          return new Map(rows.map((row) => [row.change_key, row.kept_hlc]));
        },
        rememberKeptClocks: async (entries, now) => {
          for (let at = 0; at < entries.length; at += ROWS_PER_STATEMENT) {
            await trx
              .insertInto('kept_clocks')
              .values(
                entries
                  .slice(at, at + ROWS_PER_STATEMENT)
                  .map((entry) => ({ org_id: orgId, change_key: entry.changeKey, kept_hlc: entry.hlc, created_at: now })),
              )
              .onConflict((conflict) => conflict.columns(['org_id', 'change_key']).doNothing())
              .execute();
          }
        },
        settleDevices: async (entries) => {
          if (this.kind === 'sqlite' || entries.length === 1) {
            for (const entry of entries)
              await trx
                .updateTable('devices')
                .set({ last_mutation_id: entry.lastMutationId, last_hlc: entry.lastHlc })
                .where('id', '=', entry.deviceId)
                .execute();
            return;
          }
          if (!entries.length) return;
          const rows = JSON.stringify(entries.map((entry) => ({ i: entry.deviceId, m: entry.lastMutationId, h: entry.lastHlc })));
          await sql`
            update devices as d set last_mutation_id = x.m, last_hlc = x.h
            from json_to_recordset(${rows}::json) as x(i text, m bigint, h text) where d.id = x.i`.execute(trx);
        },
        blobsPresent: async (orgId, hashes) => {
          if (!hashes.length) return new Set();
          const rows = await trx.selectFrom('blobs').select('hash').where('org_id', '=', orgId).where('hash', 'in', hashes).execute();
          return new Set(rows.map((row) => row.hash));
        },
      };
      return work(tx);
    });
  }

  // --- Pull ---------------------------------------------------------------------------------------------------

  /**
   * Records of the organisation (and of the device's site) changed after `afterSeq`, in sequence order; with
   * `datedFrom`, logs and feedback dated before it are left out (the pull window).
   */
  async changesSince(orgId: string, siteId: string, afterSeq: number, limit: number, datedFrom?: number): Promise<StoredRecord[]> {
    // The site's records and the organisation's ('' site) each come from their own range of records_by_org_site_seq,
    // at most `limit` of each, in change order; the first `limit` of both together is the page.
    const dated = datedFrom === undefined ? sql`` : sql`and ${this.notDatedBefore(datedFrom)}`;
    // Only the columns a pulled record is made of: reading a row's other columns costs the pull without giving it anything.
    const range = (site: string) => sql`
      select ${sql.raw(PULLED_COLUMNS)} from records where org_id = ${orgId} and site_id = ${site} and seq > ${afterSeq} ${dated} order by seq limit ${limit}`;
    const { rows } = await sql<PulledRow>`
      select * from (${range(siteId)}) as of_site
      union all
      select * from (${range('')}) as of_organisation
      order by seq limit ${limit}`.execute(this.db);
    return rows.map(toStoredRecord);
  }

  /** A record that is not a log or feedback dated before `from` (undated records always pass). */
  private notDatedBefore(from: number) {
    return sql<boolean>`coalesce(${recordDate(this.kind)}, ${Number.MAX_SAFE_INTEGER}) >= ${from}`;
  }

  // --- Reconciliation -----------------------------------------------------------------------------------------

  /** (table, id, record clock, field clocks) of every record a device of this site may see: the organisation's and the site's. */
  async digestEntries(
    orgId: string,
    siteId: string,
    datedFrom?: number,
  ): Promise<{ table: string; id: string; hlc: string; fieldClocks?: Record<string, string> }[]> {
    const rows = await this.db
      .selectFrom('records')
      .select(['table_name', 'id', 'hlc', 'field_clocks'])
      .where('org_id', '=', orgId)
      .where((eb) => eb.or([eb('site_id', '=', ''), eb('site_id', '=', siteId)]))
      .$if(datedFrom !== undefined, (query) => query.where(this.notDatedBefore(datedFrom!)))
      .execute();
    return rows.map((row) => ({ table: row.table_name, id: row.id, hlc: row.hlc, fieldClocks: JSON.parse(row.field_clocks) as Record<string, string> }));
  }

  /** Whole records of one table by id, only those the device's organisation and site may see. */
  async recordsByIds(orgId: string, siteId: string, table: string, ids: string[], datedFrom?: number): Promise<StoredRecord[]> {
    if (!ids.length) return [];
    const rows = await this.db
      .selectFrom('records')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('table_name', '=', table)
      .where('id', 'in', ids)
      .where((eb) => eb.or([eb('site_id', '=', ''), eb('site_id', '=', siteId)]))
      .$if(datedFrom !== undefined, (query) => query.where(this.notDatedBefore(datedFrom!)))
      .execute();
    return rows.map(toStoredRecord);
  }

  // --- Blobs --------------------------------------------------------------------------------------------------

  async hasBlob(orgId: string, hash: string): Promise<{ type: string; size: number } | undefined> {
    const row = await this.db.selectFrom('blobs').select(['type', 'size']).where('org_id', '=', orgId).where('hash', '=', hash).executeTakeFirst();
    return row && { type: row.type, size: Number(row.size) };
  }

  /** Which of these pictures the organisation has. */
  async blobsPresent(orgId: string, hashes: readonly string[]): Promise<Set<string>> {
    if (!hashes.length) return new Set();
    const rows = await this.db
      .selectFrom('blobs')
      .select('hash')
      .where('org_id', '=', orgId)
      .where('hash', 'in', [...hashes])
      .execute();
    return new Set(rows.map((row) => row.hash));
  }

  async getBlob(orgId: string, hash: string): Promise<StoredBlob | undefined> {
    const row = await this.db
      .selectFrom('blobs')
      .select(['hash', 'type', 'size', 'bytes'])
      .where('org_id', '=', orgId)
      .where('hash', '=', hash)
      .executeTakeFirst();
    return row && { hash: row.hash, type: row.type, size: Number(row.size), bytes: new Uint8Array(row.bytes) };
  }

  /**
   * Stores a picture once per organisation, within its room for pictures (its own setting, else `defaultQuotaBytes`);
   * a second upload of the same bytes changes nothing. The organisation's row is locked meanwhile, so two uploads
   * at once cannot both fit into the last free room.
   */
  async putBlob(
    orgId: string,
    blob: StoredBlob,
    now: number,
    defaultQuotaBytes = Number.POSITIVE_INFINITY,
  ): Promise<'new' | 'already' | { quotaExceeded: BlobUsage }> {
    return this.db.transaction().execute(async (trx) => {
      const organisation = await lockOrganisation(trx, orgId);
      const present = await trx.selectFrom('blobs').select('hash').where('org_id', '=', orgId).where('hash', '=', blob.hash).executeTakeFirst();
      if (present) return 'already';
      const usage = {
        usedBytes: await blobBytesOf(trx, orgId),
        quotaBytes: organisation.blob_quota_bytes === null ? defaultQuotaBytes : Number(organisation.blob_quota_bytes),
      };
      if (usage.usedBytes + blob.size > usage.quotaBytes) return { quotaExceeded: usage };
      await trx.insertInto('blobs').values({ org_id: orgId, hash: blob.hash, type: blob.type, size: blob.size, bytes: blob.bytes, created_at: now }).execute();
      return 'new';
    });
  }

  /** How much room the organisation's pictures take, and how much they have (null: the server's default). */
  async blobUsage(orgId: string): Promise<{ usedBytes: number; quotaBytes: number | null }> {
    const organisation = await this.db.selectFrom('organisations').select('blob_quota_bytes').where('id', '=', orgId).executeTakeFirst();
    const quota = organisation?.blob_quota_bytes;
    return { usedBytes: await blobBytesOf(this.db, orgId), quotaBytes: quota === null || quota === undefined ? null : Number(quota) };
  }

  /** Sets the organisation's room for pictures in bytes; null returns it to the server's default. False: no such organisation. */
  async setBlobQuota(orgId: string, quotaBytes: number | null): Promise<boolean> {
    const result = await this.db.updateTable('organisations').set({ blob_quota_bytes: quotaBytes }).where('id', '=', orgId).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /**
   * Removes pictures uploaded before `before` that no record of their organisation refers to (deleted records
   * included: undoing a delete brings its picture back). Runs per organisation with its row locked, so a push
   * that refers to a picture waits and then finds it gone (and is told to upload it again) or finds it kept.
   */
  async collectUnreferencedBlobs(before: number): Promise<number> {
    const organisations = await this.db.selectFrom('blobs').select('org_id').distinct().where('created_at', '<', before).execute();
    const tables = Object.keys(BLOB_REFERENCE_FIELDS) as SyncedTable[];
    let removed = 0;
    for (const { org_id: orgId } of organisations) {
      removed += await this.db.transaction().execute(async (trx) => {
        await lockOrganisation(trx, orgId);
        const referenced = new Set<string>();
        const records = await trx
          .selectFrom('records')
          .select(['table_name', 'fields'])
          .where('org_id', '=', orgId)
          .where('table_name', 'in', tables)
          .execute();
        for (const record of records) {
          const fields = JSON.parse(record.fields) as Record<string, unknown>;
          for (const name of BLOB_REFERENCE_FIELDS[record.table_name as SyncedTable] ?? []) {
            const hash = Object.hasOwn(fields, name) ? fields[name] : undefined;
            if (typeof hash === 'string') referenced.add(hash);
          }
        }
        const old = await trx.selectFrom('blobs').select('hash').where('org_id', '=', orgId).where('created_at', '<', before).execute();
        const unreferenced = old.map((row) => row.hash).filter((hash) => !referenced.has(hash));
        for (let at = 0; at < unreferenced.length; at += 500) {
          await trx
            .deleteFrom('blobs')
            .where('org_id', '=', orgId)
            .where('hash', 'in', unreferenced.slice(at, at + 500))
            .execute();
        }
        return unreferenced.length;
      });
    }
    return removed;
  }

  // --- Administration -----------------------------------------------------------------------------------------

  /** Every synced record of an organisation (all its sites), for export. */
  async recordsOfOrganisation(orgId: string, table?: string): Promise<StoredRecord[]> {
    let query = this.db.selectFrom('records').selectAll().where('org_id', '=', orgId).orderBy('seq');
    if (table) query = query.where('table_name', '=', table);
    return (await query.execute()).map(toStoredRecord);
  }

  /** The organisation's records of these tables whose last change a tablet's push made since 0010_changed_by, for the console. */
  async tabletChanges(orgId: string, tables: readonly string[]): Promise<TabletChange[]> {
    if (!tables.length) return [];
    const rows = await this.db
      .selectFrom('records')
      .select(['table_name', 'id', 'fields', 'changed_by', 'changed_at', 'seq'])
      .where('org_id', '=', orgId)
      .where('table_name', 'in', [...tables])
      .where('changed_by', 'is not', null)
      .where('changed_at', 'is not', null)
      .execute();
    return rows.map((row) => ({
      table: row.table_name,
      id: row.id,
      fields: JSON.parse(row.fields) as Record<string, unknown>,
      deviceId: row.changed_by!,
      at: Number(row.changed_at),
      seq: Number(row.seq),
    }));
  }

  async quarantined(orgId: string): Promise<QuarantineEntry[]> {
    const rows = await this.db.selectFrom('quarantine').selectAll().where('org_id', '=', orgId).orderBy('id').execute();
    return rows.map((row) => ({
      orgId: row.org_id,
      siteId: row.site_id,
      deviceId: row.device_id,
      mutationId: Number(row.mutation_id),
      reason: row.reason,
      message: row.message,
      payload: row.payload,
      createdAt: Number(row.created_at),
    }));
  }

  async stats(): Promise<StoreStats> {
    const count = async (table: 'organisations' | 'sites' | 'devices' | 'quarantine') =>
      Number(
        (
          await this.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const active = await this.db
      .selectFrom('devices')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('revoked_at', 'is', null)
      .executeTakeFirstOrThrow();
    const perTable = await this.db
      .selectFrom('records')
      .select(['table_name', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('table_name')
      .execute();
    const blobs = await this.db
      .selectFrom('blobs')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.coalesce(eb.fn.sum<number>('size'), eb.val(0)).as('bytes')])
      .executeTakeFirstOrThrow();
    return {
      organisations: await count('organisations'),
      sites: await count('sites'),
      devices: await count('devices'),
      activeDevices: Number(active.n),
      records: Object.fromEntries(perTable.map((row) => [row.table_name, Number(row.n)])),
      blobs: Number(blobs.n),
      blobBytes: Number(blobs.bytes),
      quarantined: await count('quarantine'),
    };
  }
}

/**
 * A record's date in SQL (DATED_FIELDS: a log's startedAt, a feedback answer's createdAt), or null when its table has
 * none or the field is not a number. The field names are the protocol's own constants, never input.
 */
function recordDate(kind: Dialect) {
  const cases = Object.entries(DATED_FIELDS).map(([table, field]) => {
    if (kind === 'postgres') {
      // PostgreSQL's JSON operators refuse a text holding an escaped NUL (\u0000), which a note may (bodies.test.ts);
      // read the date from a copy where it is U+FFFD instead (same shape, so the JSON stays valid).
      const fields = sql`replace(fields, '\\u0000', '\\ufffd')::jsonb`;
      const key = sql.lit(field);
      return sql`when table_name = ${sql.lit(table)} and jsonb_typeof(${fields} -> ${key}) = 'number' then (${fields} ->> ${key})::numeric`;
    }
    const path = sql.lit(`$.${field}`);
    return sql`when table_name = ${sql.lit(table)} and json_type(fields, ${path}) in ('integer', 'real') then json_extract(fields, ${path})`;
  });
  return sql<number | null>`(case ${sql.join(cases, sql` `)} end)`;
}

/** Locks the organisation's row until the transaction ends (the same no-op update the push uses). */
async function lockOrganisation(trx: Transaction<ServerDatabase>, orgId: string): Promise<{ blob_quota_bytes: number | null }> {
  return trx
    .updateTable('organisations')
    .set((eb) => ({ change_seq: eb.ref('change_seq') }))
    .where('id', '=', orgId)
    .returning(['blob_quota_bytes'])
    .executeTakeFirstOrThrow();
}

async function blobBytesOf(db: Kysely<ServerDatabase>, orgId: string): Promise<number> {
  const row = await db
    .selectFrom('blobs')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('size'), eb.val(0)).as('bytes'))
    .where('org_id', '=', orgId)
    .executeTakeFirstOrThrow();
  return Number(row.bytes);
}

type DeviceRow = Selectable<ServerDatabase['devices']>;
function toDevice(row: DeviceRow): Device {
  return {
    id: row.id,
    orgId: row.org_id,
    siteId: row.site_id,
    name: row.name,
    tokenHash: row.token_hash,
    createdAt: Number(row.created_at),
    lastSeenAt: row.last_seen_at === null ? null : Number(row.last_seen_at),
    revokedAt: row.revoked_at === null ? null : Number(row.revoked_at),
    wipe: Number(row.wipe) === 1,
    lastMutationId: Number(row.last_mutation_id),
    publicKey: row.public_key ?? null,
  };
}

// Which device changed a record (changed_by) is left out on purpose: a StoredRecord goes to tablets in pulls.
function toStoredRecord(row: PulledRow): StoredRecord {
  return {
    orgId: row.org_id,
    siteId: row.site_id,
    table: row.table_name,
    id: row.id,
    fields: JSON.parse(row.fields) as Record<string, unknown>,
    fieldClocks: JSON.parse(row.field_clocks) as Record<string, string>,
    hlc: row.hlc,
    seq: Number(row.seq),
  };
}

/** The columns toStoredRecord reads. */
const PULLED_COLUMNS = 'org_id, site_id, table_name, id, fields, field_clocks, hlc, seq';
type PulledRow = Pick<Selectable<ServerDatabase['records']>, 'org_id' | 'site_id' | 'table_name' | 'id' | 'fields' | 'field_clocks' | 'hlc' | 'seq'>;

/** Rows per multi-row statement: a full push (LIMITS.mutationsPerPush) of nine columns stays far below both databases' parameter limits. */
const ROWS_PER_STATEMENT = 500;

/**
 * Rows passed as one JSON array parameter, so a statement's text stays the same whatever the number of rows (compiled
 * once, one parameter instead of thousands): the select list of their fields, in the order of `columns`.
 */
function jsonColumns(kind: Dialect, columns: Record<string, 'text' | 'bigint'>) {
  const names = Object.keys(columns);
  return kind === 'postgres' ? sql.raw(names.map((name) => `x.${name}`).join(', ')) : sql.raw(names.map((name) => `value ->> '${name}'`).join(', '));
}

/** The FROM clause that reads the rows of jsonRows (SQLite needs "where true" before an upsert's ON CONFLICT). */
function jsonRowsFrom(kind: Dialect, rows: string, columns: Record<string, 'text' | 'bigint'>) {
  if (kind === 'postgres')
    return sql`from json_to_recordset(${rows}::json) as x(${sql.raw(
      Object.entries(columns)
        .map(([name, type]) => `${name} ${type}`)
        .join(', '),
    )})`;
  return sql`from json_each(${rows}) where true`;
}

/** Keys as rows (s, t, i) of one JSON parameter: a statement's text stays the same for any number of them. */
function keyRows(kind: Dialect, keys: readonly RecordKey[]) {
  const rows = JSON.stringify(keys.map((key) => ({ s: key.siteId, t: key.table, i: key.id })));
  return kind === 'postgres'
    ? sql`json_to_recordset(${rows}::json) as k(s text, t text, i text)`
    : sql`(select value ->> 's' as s, value ->> 't' as t, value ->> 'i' as i from json_each(${rows})) as k`;
}

/**
 * The organisation's records with these keys, and which of the `dated` keys retention deleted, in one query (one round
 * trip while the organisation's counter is locked). The keys come first ("cross join" keeps that order on SQLite), each
 * looked up by the primary key.
 */
async function findRecords(
  trx: Transaction<ServerDatabase>,
  kind: Dialect,
  orgId: string,
  keys: readonly RecordKey[],
  dated: readonly RecordKey[],
): Promise<{ stored: StoredRecord[]; expired: RecordKey[] }> {
  if (!keys.length && !dated.length) return { stored: [], expired: [] };
  const { rows } = await sql<Selectable<ServerDatabase['records']> & { expired: number }>`
    select 0 as expired, r.org_id, r.site_id, r.table_name, r.id, r.fields, r.field_clocks, r.hlc, r.seq from ${keyRows(kind, keys)} cross join records r
    where r.org_id = ${orgId} and r.site_id = k.s and r.table_name = k.t and r.id = k.i
    union all
    select 1, e.org_id, e.site_id, e.table_name, e.id, null, null, null, null from ${keyRows(kind, dated)} cross join expired_records e
    where e.org_id = ${orgId} and e.site_id = k.s and e.table_name = k.t and e.id = k.i`.execute(trx);
  const stored: StoredRecord[] = [];
  const expired: RecordKey[] = [];
  for (const row of rows) {
    if (Number(row.expired)) expired.push({ orgId, siteId: row.site_id, table: row.table_name, id: row.id });
    else stored.push(toStoredRecord(row));
  }
  return { stored, expired };
}

/** Inserts or replaces these records (each key at most once) in one statement, the rows passed as one JSON parameter. */
async function saveRecords(
  trx: Transaction<ServerDatabase>,
  kind: Dialect,
  orgId: string,
  records: readonly ChangedRecord[],
  lastSeq: number,
  now: number,
): Promise<void> {
  const counter = sql`update organisations set change_seq = ${lastSeq} where id = ${orgId}`;
  if (kind === 'sqlite') {
    const values: unknown[] = [];
    for (const record of records) {
      values.push(record.orgId, record.siteId, record.table, record.id, JSON.stringify(record.fields), JSON.stringify(record.fieldClocks));
      // The changer and the time of the change, only where the push keeps them (null clears an older one).
      values.push(record.hlc, record.seq, record.changedBy ?? null, record.changedBy ? now : null, now);
    }
    await insertValues(trx, RECORDS_UPSERT, values);
    await counter.execute(trx);
    return;
  }
  const columns = { o: 'text', s: 'text', t: 'text', i: 'text', f: 'text', c: 'text', h: 'text', q: 'bigint', b: 'text', a: 'bigint' } as const;
  const rows = JSON.stringify(
    records.map((record) => ({
      o: record.orgId,
      s: record.siteId,
      t: record.table,
      i: record.id,
      f: JSON.stringify(record.fields),
      c: JSON.stringify(record.fieldClocks),
      h: record.hlc,
      q: record.seq,
      b: record.changedBy ?? null,
      a: record.changedBy ? now : null,
    })),
  );
  // The upsert and the counter in one statement: one round trip less while the counter is locked.
  await sql`
    with saved as (
      insert into records (org_id, site_id, table_name, id, fields, field_clocks, hlc, seq, changed_by, changed_at, server_updated_at)
      select ${jsonColumns(kind, columns)}, cast(${now} as bigint) ${jsonRowsFrom(kind, rows, columns)}
      on conflict (org_id, site_id, table_name, id) do update set
        fields = excluded.fields, field_clocks = excluded.field_clocks, hlc = excluded.hlc, seq = excluded.seq,
        changed_by = excluded.changed_by, changed_at = excluded.changed_at, server_updated_at = excluded.server_updated_at
      returning 1
    ) ${counter}`.execute(trx);
}

/** An insert of many rows as SQLite takes them: the text before VALUES and after the rows. */
interface ValuesInsert {
  head: string;
  tail: string;
  columns: number;
  /** The statement's text per number of rows, made once. */
  texts: Map<number, string>;
}

const MUTATION_LOG_INSERT: ValuesInsert = {
  head: 'insert into mutation_log (device_id, mutation_id, digest, created_at) values ',
  tail: ' on conflict (device_id, mutation_id) do update set digest = excluded.digest, created_at = excluded.created_at',
  columns: 4,
  texts: new Map(),
};

const RECORDS_UPSERT: ValuesInsert = {
  head: 'insert into records (org_id, site_id, table_name, id, fields, field_clocks, hlc, seq, changed_by, changed_at, server_updated_at) values ',
  tail: ` on conflict (org_id, site_id, table_name, id) do update set
    fields = excluded.fields, field_clocks = excluded.field_clocks, hlc = excluded.hlc, seq = excluded.seq,
    changed_by = excluded.changed_by, changed_at = excluded.changed_at, server_updated_at = excluded.server_updated_at`,
  columns: 11,
  texts: new Map(),
};

/**
 * SQLite: rows as plain parameters of one multi-row VALUES, ROWS_PER_STATEMENT at a time (a push's rows in one), built
 * as text without kysely's builder. SQLite takes them in about half the time per row it needs to read the same rows
 * out of one JSON parameter; its prepared statements are kept per text (sqlite-store.ts).
 */
async function insertValues(trx: Transaction<ServerDatabase>, insert: ValuesInsert, values: unknown[]): Promise<void> {
  // `values` holds the rows one after another, `insert.columns` values each (no array per row to flatten again).
  const rows = values.length / insert.columns;
  for (let at = 0; at < rows; at += ROWS_PER_STATEMENT) {
    const count = Math.min(ROWS_PER_STATEMENT, rows - at);
    let text = insert.texts.get(count);
    if (text === undefined) {
      const row = `(${Array.from({ length: insert.columns }, () => '?').join(', ')})`;
      text = `${insert.head}${Array.from({ length: count }, () => row).join(', ')}${insert.tail}`;
      insert.texts.set(count, text);
    }
    const chunk = count === rows ? values : values.slice(at * insert.columns, (at + count) * insert.columns);
    await trx.executeQuery(CompiledQuery.raw(text, chunk));
  }
}
