import { describe, expect } from 'vitest';
import { db } from '../../../src/db/db';
import { it } from '../support/database';
import { loadDeviceSettings, saveLanguage, saveTextSize } from '../../../src/db/device-settings';

describe('the tablet database', () => {
  it('has the tables of the design with the indexes later features read by', async () => {
    await db().open();
    const tables = Object.fromEntries(db().tables.map((table) => [table.name, table.schema.indexes.map((index) => index.name).sort()]));
    expect(Object.keys(tables).sort()).toEqual(['blobs', 'feedback', 'guideSteps', 'guides', 'outbox', 'profiles', 'sessions', 'syncState']);
    expect(tables.guides).toEqual(expect.arrayContaining(['[lang+slug]', 'category', 'source', 'deleted']));
    expect(tables.guideSteps).toEqual(expect.arrayContaining(['[guideId+orderKey]', 'imageHash']));
    // Logs: only what the logs list, the reports and retention read by (issue 16: each index costs every save and every
    // pulled log); the list's topic filter reads through startedAt.
    expect(tables.sessions).toEqual(['site', 'startedAt']);
    // The outbox by record (a save merges into its waiting row) and by clock (the newest after a restart).
    expect(tables.outbox).toEqual(['[table+recordId]', 'hlc']);
  });

  it('keeps the outbox in insertion order with its own sequence numbers', async () => {
    await db().outbox.bulkAdd([
      { table: 'sessions', recordId: 'a', hlc: '1', fields: { format: 'walk-in' }, org: '', site: '' },
      { table: 'sessions', recordId: 'b', hlc: '2', fields: { format: 'group' }, org: '', site: '' },
    ]);
    const rows = await db().outbox.orderBy('seq').toArray();
    expect(rows.map((row) => row.recordId)).toEqual(['a', 'b']);
    expect(rows[0]!.seq).toBeLessThan(rows[1]!.seq!);
  });
});

describe('device settings', () => {
  it('default to normal text and no saved language, and keep what is saved', async () => {
    const before = await loadDeviceSettings();
    expect(before.textSize).toBe('normal');
    await saveLanguage('sv');
    await saveTextSize('xlarge');
    expect(await loadDeviceSettings()).toEqual({ language: 'sv', textSize: 'xlarge' });
  });
});
