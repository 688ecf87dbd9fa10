// PostgreSQL stores opened in their own schemas while other schemas of the database are dropped (as every server test
// does when it ends): kysely's migrator reads every schema of the database, and a schema dropped in the middle of that
// read failed the migration with "schema … does not exist" (seen in clean CI runs).
import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { dropPostgresSchema, openPostgresStore } from '../../src/server/store/postgres-store';

const DATABASE_URL = process.env.DATABASE_URL;
const name = () => `t_${randomBytes(6).toString('hex')}`;

it.runIf(DATABASE_URL)(
  'opens stores while other schemas of the database come and go',
  async () => {
    const url = DATABASE_URL!;
    let churning = true;
    // Schemas with a table each, dropped as soon as they are made, all the time the stores below open.
    const churn = (async () => {
      const pg = (await import('pg')).default;
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        while (churning) {
          const other = name();
          await client.query(`create schema ${other}; create table ${other}.x (id int)`);
          await dropPostgresSchema(url, other);
        }
      } finally {
        await client.end();
      }
    })();
    const opened: string[] = [];
    try {
      for (let round = 0; round < 6; round++) {
        const schemas = [name(), name(), name()];
        const stores = await Promise.all(schemas.map((schema) => openPostgresStore(url, { schema, poolSize: 2 })));
        opened.push(...schemas);
        for (const store of stores) await store.close();
      }
    } finally {
      churning = false;
      await churn;
      for (const schema of opened) await dropPostgresSchema(url, schema);
    }
    expect(opened).toHaveLength(18);
  },
  120_000,
);
