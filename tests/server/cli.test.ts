// The admin command line, run as a real child process against the same storage as the server.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'vitest';
import { noteRunningServerUrl } from '../../src/server/admin';
import { describeEachBackend } from './support/backends';
import { ConsoleStore } from '../../src/server/console/console-store';
import { consoleClient } from './support/console';
import { FEEDBACK, SESSION, change, enrol, makeApp } from './support/world';

const run = promisify(execFile);
const TSX = join(process.cwd(), 'node_modules', '.bin', 'tsx');
// Each run starts tsx afresh (1–4 s on a busy two-core machine) and these tests run it about ten times.
const CHILD_PROCESS_TIMEOUT = 180_000;

/** The admin command line run as a child process on the given data: its exit code and what it wrote. */
async function runAdmin(
  config: { dataDir: string; databaseUrl: string | undefined },
  extra: Record<string, string>,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: config.dataDir,
    DATABASE_URL: config.databaseUrl ?? '',
    LOG_LEVEL: 'silent',
    ...extra,
  };
  if (!('PUBLIC_URL' in extra)) delete env.PUBLIC_URL;
  try {
    const { stdout, stderr } = await run(TSX, ['src/server/cli.ts', ...args], { env, cwd: process.cwd() });
    return { code: 0, stdout: stdout.trim(), stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout.trim(), stderr: failed.stderr };
  }
}

describeEachBackend('admin CLI', (_backend, base) => {
  const it = base
    // `adminWith(env, …args)`: the command line run as a child process on the test's data, with env added to the environment
    // (PUBLIC_URL unset unless env has it); `admin(…args)` does so with a public address.
    .extend(
      'adminWith',
      ({ opened }) =>
        (extra: Record<string, string>, ...args: string[]) =>
          runAdmin(opened.config, extra, args),
    )
    .extend(
      'admin',
      ({ adminWith }) =>
        (...args: string[]) =>
          adminWith({ PUBLIC_URL: 'https://digi.example.fi' }, ...args),
    );

  it(
    'sets up an organisation, enrols a tablet with its code, lists, exports and revokes it',
    async ({ store, admin }) => {
      const org = await admin('org', 'create', 'Diakonia', 'ry');
      expect(org.code).toBe(0);
      const orgId = org.stdout;
      expect((await store.findOrganisation(orgId))!.name).toBe('Diakonia ry');
      // Room for the organisation's pictures: its own setting, and back to the server's default.
      const quota = await admin('org', 'quota', orgId, '4096', '--json');
      expect(JSON.parse(quota.stdout)).toEqual({ orgId, usedBytes: 0, quotaBytes: 4096 * 1024 * 1024, serverDefault: false });
      expect(await store.blobUsage(orgId)).toEqual({ usedBytes: 0, quotaBytes: 4096 * 1024 * 1024 });
      const siteId = (await admin('site', 'create', '--org', orgId, 'Päiväkeskus', 'Kallio')).stdout;
      expect((await store.findSite(siteId))!.name).toBe('Päiväkeskus Kallio');

      const enrolment = await admin('enrol-code', '--site', siteId, '--hours', '72', '--json');
      expect(enrolment.code).toBe(0);
      const issued = JSON.parse(enrolment.stdout) as { code: string; expiresAt: string; link: string };
      expect(issued.link).toBe(`https://digi.example.fi/enrol#code=${issued.code}`);
      expect(Date.parse(issued.expiresAt) - Date.now()).toBeGreaterThan(71 * 3_600_000);
      expect(Date.parse(issued.expiresAt) - Date.now()).toBeLessThan(73 * 3_600_000);

      // For people: the code, the link, and the same link as a QR code for the tablet's camera.
      const forPeople = await admin('enrol-code', '--site', siteId);
      expect(forPeople.code).toBe(0);
      expect(forPeople.stdout).toMatch(/Enrolment code: [0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/);
      expect(forPeople.stdout).toContain('https://digi.example.fi/enrol#code=');
      expect(forPeople.stdout.split('\n').filter((line) => /[▀▄█]{5}/.test(line)).length).toBeGreaterThan(10);

      const app = makeApp(store);
      const tablet = await enrol(app, issued.code, 'Olohuone');
      await tablet.push([
        change(tablet, 'sessions', 'log1', { ...SESSION, startedAt: Date.parse('2026-03-10T10:00:00Z'), note: '=HYPERLINK("http://x")' }),
        change(tablet, 'sessions', 'log2', { ...SESSION, startedAt: Date.parse('2026-05-10T10:00:00Z') }),
        change(tablet, 'feedback', 'fb1', { ...FEEDBACK, createdAt: Date.parse('2026-03-10T11:00:00Z') }),
      ]);

      const devices = JSON.parse((await admin('devices', 'list', '--org', orgId, '--json')).stdout) as Record<string, unknown>[];
      expect(devices).toHaveLength(1);
      expect(devices[0]).toMatchObject({ id: tablet.deviceId, name: 'Olohuone', revokedAt: null });
      expect(devices[0]).not.toHaveProperty('tokenHash');

      const out = mkdtempSync(join(tmpdir(), 'digituki-export-'));
      const exported = await admin('export', '--org', orgId, '--from', '2026-03-01', '--to', '2026-03-31', '--out', out);
      expect(exported.stdout).toContain('1 session logs and 1 feedback');
      const sessionsCsv = readFileSync(join(out, 'sessions.csv'), 'utf8');
      const [header, first] = sessionsCsv
        .replace(/^\uFEFF/, '')
        .split('\r\n')
        .map((line) => line.split(';'));
      // Semicolons (Finnish Excel opens it in columns) and the tablet's Finnish column names.
      expect(header!.slice(0, 7)).toEqual(['Tunniste', 'Toimipaikka', 'Päivä', 'Alkamisaika', 'Kesto', 'Muoto', 'Kanava']);
      expect(header).toContain('Ryhmäläiset uudet');
      expect(first!.slice(2, 4)).toEqual(['2026-03-10', '12:00']); // 10:00 UTC is 12:00 in Helsinki
      expect(first!.slice(5, 7)).toEqual(['Päivystys', 'Paikan päällä']); // codes as the tablet's Finnish words
      expect(first).toContain('Liitteet');
      expect(first).toContain('Valmis');
      expect(sessionsCsv).toContain('log1');
      expect(sessionsCsv).not.toContain('log2');
      expect(sessionsCsv).toContain(`"'=HYPERLINK(""http://x"")"`);
      const feedbackCsv = readFileSync(join(out, 'feedback.csv'), 'utf8');
      expect(feedbackCsv).toContain('Miltä tänään tuntui?'); // questions as the participant saw them
      expect(feedbackCsv).toContain('5 Tosi hyvä'); // a mood by its face's name
      expect(feedbackCsv).toContain('attachments'); // a chip this app has no word for stays as sent, never hidden
      const everything = JSON.parse((await admin('export', '--org', orgId, '--json')).stdout) as { sessions: unknown[]; feedback: unknown[] };
      expect(everything.sessions).toHaveLength(2);

      const revoked = await admin('device', 'revoke', tablet.deviceId, '--wipe');
      expect(revoked.code).toBe(0);
      const answer = await tablet.pull();
      expect(answer.status).toBe(401);
      expect(answer.body).toMatchObject({ error: 'revoked', wipe: true });

      const stats = JSON.parse((await admin('stats', '--json')).stdout) as { organisations: number; records: Record<string, number> };
      expect(stats).toMatchObject({ organisations: 1, records: { sessions: 2, feedback: 1 } });
    },
    CHILD_PROCESS_TIMEOUT,
  );

  it(
    'user create makes a console account and prints its one-time set-up link; bad input makes nothing; each command is in the audit log',
    async ({ store, admin }) => {
      const orgId = (await admin('org', 'create', 'Diakonia')).stdout;
      const siteId = (await admin('site', 'create', '--org', orgId, 'Kallio')).stdout;
      const made = await admin('user', 'create', '--org', orgId, '--role', 'coordinator', 'Koordinaattori@Example.org', '--json');
      expect(made.code).toBe(0);
      const { setupLink, user } = JSON.parse(made.stdout) as { setupLink: string; user: { email: string; role: string; siteId: string | null } };
      expect(user).toMatchObject({ email: 'koordinaattori@example.org', role: 'coordinator', siteId: null });
      expect(setupLink).toMatch(/^https:\/\/digi\.example\.fi\/console\/#setup=[\w-]+$/);
      const forPeople = await admin('user', 'create', '--org', orgId, '--site', siteId, '--role', 'site-admin', 'admin@example.org');
      expect(forPeople.code).toBe(0);
      expect(forPeople.stdout).toContain('https://digi.example.fi/console/#setup=');
      for (const bad of [
        ['user', 'create', '--org', orgId, '--role', 'king', 'x@example.org'],
        ['user', 'create', '--org', orgId, '--role', 'site-admin', 'x@example.org'],
        ['user', 'create', '--org', orgId, '--role', 'coordinator', 'not an email'],
        ['user', 'create', '--org', 'no-such-org', '--role', 'coordinator', 'x@example.org'],
        ['user', 'create', '--org', orgId, '--role', 'coordinator', 'admin@example.org'],
      ]) {
        const refused = await admin(...bad);
        expect(refused.code, bad.join(' ')).toBe(2);
        expect(refused.stderr.trim().length).toBeGreaterThan(10);
      }
      const accounts = new ConsoleStore(store.database);
      expect((await accounts.listUsers(orgId)).map((u) => u.email)).toEqual(['koordinaattori@example.org', 'admin@example.org']);

      // The link logs in once, and the console's audit log shows what the command line did.
      const browser = consoleClient(makeApp(store, { publicUrl: 'https://digi.example.fi' }));
      expect(
        (
          await browser.call(
            'POST',
            '/setup',
            { token: decodeURIComponent(setupLink.split('#setup=')[1]!), password: 'kolme sanaa peräkkäin' },
            { headers: { Origin: 'https://digi.example.fi' } },
          )
        ).status,
      ).toBe(200);
      const audit = await browser.call('GET', '/audit');
      expect(audit.body.entries.map((e: { actor: string; action: string }) => `${e.actor} ${e.action}`).reverse()).toEqual([
        'cli cli:org create',
        'cli cli:site create',
        'cli cli:user create',
        'cli cli:user create',
        'koordinaattori@example.org setup',
      ]);
    },
    CHILD_PROCESS_TIMEOUT,
  );

  it(
    'every command that changes or exports an organisation is in its audit log with what it did; reading, and refused input, writes nothing',
    async ({ store, admin }) => {
      const orgId = (await admin('org', 'create', 'Diakonia')).stdout;
      const ok = async (...args: string[]) => {
        const result = await admin(...args);
        expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
        return result.stdout;
      };
      await ok('org', 'rename', orgId, 'Diakonia', 'ry');
      await ok('org', 'quota', orgId, '4096');
      await ok('retention', '--org', orgId, '--set', '18m');
      await ok('retention', '--org', orgId, '--set', 'default');
      expect((await admin('retention', '--org', orgId, '--set', 'forever')).code).toBe(2);
      const siteId = await ok('site', 'create', '--org', orgId, 'Kallio');
      await ok('site', 'rename', siteId, 'Kallion', 'kirjasto');
      const enrolment = JSON.parse(await ok('enrol-code', '--site', siteId, '--hours', '24', '--json')) as { code: string; expiresAt: string };
      const tablet = await enrol(makeApp(store), enrolment.code, 'Olohuone');
      await ok('device', 'revoke', tablet.deviceId, '--wipe');
      await ok('export', '--org', orgId, '--json');
      const made = JSON.parse(await ok('user', 'create', '--org', orgId, '--role', 'coordinator', 'k@example.org', '--json')) as { user: { id: string } };
      // Commands that only read change nothing, so they write nothing (and can run side by side).
      await Promise.all([
        ok('org', 'list'),
        ok('org', 'quota', orgId),
        ok('retention', '--org', orgId),
        ok('site', 'list', '--org', orgId),
        ok('devices', 'list', '--org', orgId),
        ok('stats'),
      ]);
      await ok('restored');

      const entries = (await new ConsoleStore(store.database).auditEntries(orgId, 100)).reverse();
      expect(entries.every((entry) => entry.actor === 'cli')).toBe(true);
      expect(entries.map((entry) => [entry.action, entry.target, entry.detail])).toEqual([
        ['cli:org create', orgId, { name: 'Diakonia' }],
        ['cli:org rename', orgId, { name: 'Diakonia ry' }],
        ['cli:org quota', orgId, { quotaMiB: 4096 }],
        ['cli:retention', orgId, { retentionMonths: 18 }],
        ['cli:retention', orgId, { retentionMonths: null }],
        ['cli:site create', siteId, { name: 'Kallio' }],
        ['cli:site rename', siteId, { name: 'Kallion kirjasto' }],
        ['cli:enrol-code', siteId, { expiresAt: Date.parse(enrolment.expiresAt) }],
        ['cli:device revoke', tablet.deviceId, { wipe: true }],
        ['cli:export', null, { from: null, to: null }],
        ['cli:user create', made.user.id, { email: 'k@example.org', role: 'coordinator', siteId: null }],
        ['cli:restored', null, {}],
      ]);
    },
    CHILD_PROCESS_TIMEOUT * 2, // fifteen runs of the command line
  );

  it(
    'renames an organisation and a site, counts only the logs it writes, and prints a plain date and the real port',
    async ({ opened, store, admin, adminWith }) => {
      const orgId = (await admin('org', 'create', 'My', 'organisation')).stdout;
      const siteId = (await admin('site', 'create', '--org', orgId, 'First', 'site')).stdout;
      expect((await admin('org', 'rename', orgId, 'Diakonia', 'ry')).stdout).toBe('Renamed: Diakonia ry');
      expect((await admin('site', 'rename', siteId, 'Päiväkeskus', 'Kallio')).stdout).toBe('Renamed: Päiväkeskus Kallio');
      expect((await store.findOrganisation(orgId))!.name).toBe('Diakonia ry');
      expect((await store.findSite(siteId))!.name).toBe('Päiväkeskus Kallio');
      const unknown = await admin('site', 'rename', 'no-such-site', 'X');
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain('There is no site with id no-such-site');
      const empty = await admin('org', 'rename', orgId);
      expect(empty.code).toBe(2);
      expect((await store.findOrganisation(orgId))!.name).toBe('Diakonia ry');

      // The JSON answer is JSON from its first character (npm run -s keeps npm's own lines out; tsx adds none).
      expect(JSON.parse((await admin('org', 'list', '--json')).stdout)).toEqual([expect.objectContaining({ id: orgId, name: 'Diakonia ry' })]);

      const app = makeApp(store);
      const enrolment = JSON.parse((await admin('enrol-code', '--site', siteId, '--json')).stdout) as { code: string };
      const tablet = await enrol(app, enrolment.code, 'Olohuone');
      await tablet.push([
        change(tablet, 'sessions', 'kept', { ...SESSION }),
        change(tablet, 'sessions', 'gone', { ...SESSION }),
        change(tablet, 'sessions', 'gone', { deleted: 1 }),
      ]);
      const out = mkdtempSync(join(tmpdir(), 'digituki-export-'));
      const exported = await admin('export', '--org', orgId, '--out', out);
      expect(exported.stdout).toContain('Wrote 1 session logs');
      expect(readFileSync(join(out, 'sessions.csv'), 'utf8')).not.toContain('gone');

      // Without PUBLIC_URL: the port the running server noted, a warning about localhost, and a date that reads one way.
      if (!opened.config.databaseUrl) {
        noteRunningServerUrl(opened.config.dataDir, 'http://localhost:3517');
        const local = await adminWith({}, 'enrol-code', '--site', siteId);
        expect(local.stdout).toContain('http://localhost:3517/enrol#code=');
        expect(local.stdout).toContain('works only on this computer');
        expect(local.stdout).toContain('Ohjaajalle → PIN → Synkronointi');
        expect(local.stdout).toMatch(/Valid until \d{4}-\d{2}-\d{2} \d{2}:\d{2} /);
      }
    },
    CHILD_PROCESS_TIMEOUT,
  );

  it(
    'answers bad input with a clear message and exit code 2, changing nothing',
    async ({ store, admin }) => {
      const cases: [string[], RegExp][] = [
        [['site', 'create', '--org', 'no-such-org', 'Kallio'], /no organisation with id no-such-org/],
        [['site', 'create', 'Kallio'], /--org is required/],
        [['org', 'create'], /organisation's name/],
        [['enrol-code', '--site', 'no-such-site'], /no site with id/],
        [['enrol-code', '--site', 'x', '--hours', 'soon'], /--hours must be a number/],
        [['device', 'revoke', 'no-such-device'], /no device with id/],
        [['export', '--org', 'x', '--from', '2026-02-30'], /--from must be a date/],
        [['frobnicate'], /Unknown command/],
        [['org', 'list', '--colour'], /Unknown option --colour/],
        [['site', 'list', '--org'], /--org needs a value/],
        [['site', 'create', '--org', '--json', 'Kallio'], /--org needs a value/],
        [['org', 'list', '--json=yes'], /--json takes no value/],
        [['org', 'quota', 'no-such-org', 'lots'], /whole number of MiB/],
        [['org', 'quota', 'no-such-org', '100'], /no organisation with id no-such-org/],
      ];
      // None of these changes anything, so they can run side by side.
      const results = await Promise.all(cases.map(([args]) => admin(...args)));
      cases.forEach(([args, message], index) => {
        expect(results[index]!.code, args.join(' ')).toBe(2);
        expect(results[index]!.stderr).toMatch(message);
      });
      expect(await store.stats()).toMatchObject({ organisations: 0, sites: 0, devices: 0 });
    },
    CHILD_PROCESS_TIMEOUT,
  );
});
