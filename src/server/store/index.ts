// Owns the choice of store: PostgreSQL when DATABASE_URL is set, otherwise the SQLite file under DATA_DIR.
import { openPostgresStore } from './postgres-store';
import { openSqliteStore } from './sqlite-store';
import type { Store } from './store';

export { Store } from './store';
export type { Device, Organisation, Site, StoredRecord, StoreStats, QuarantineEntry } from './store';

export function openStore(config: { dataDir: string; databaseUrl: string | undefined }): Promise<Store> {
  return config.databaseUrl ? openPostgresStore(config.databaseUrl) : openSqliteStore(config.dataDir);
}
