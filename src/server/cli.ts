// Owns the administrator's command line (`npm run admin -- <command>`): organisations, sites, enrolment codes, devices, exports.
import QRCode from 'qrcode';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { csvText, EXCEL_DELIMITER, type CsvCell } from '../lib/csv';
import { helsinkiDateTime } from '../lib/helsinki-time';
import { FEEDBACK_QUESTIONS, SESSION_VOCABULARY, describeMonths, parseRetention } from '../protocol';
import { SESSION_LOG_COLUMNS } from '../protocol/report-fields';
import {
  AdminInputError,
  ENROLMENT_HOURS_DEFAULT,
  createEnrolmentCode,
  createOrganisation,
  createSite,
  enrolmentLink,
  exportOrganisation,
  plainTime,
  renameOrganisation,
  renameSite,
  revokeDevice,
  runningServerUrl,
  type ExportedRecord,
} from './admin';
import { ConfigError, readConfig } from './config';
import { createConsoleAccount, setupLink } from './console/accounts';
import { ConsoleStore } from './console/console-store';
import { feedbackAnswer, feedbackQuestion, logColumn, sessionLabel, statusLabel } from './export-labels';
import { openStore, type Store } from './store';
import { writeWatermark } from './watermark';

const USAGE = `Digituki admin — npm run -s admin -- <command> [--json]
(-s keeps npm's own lines out, so --json prints clean JSON)

  org create <name>                         make an organisation, print its id
  org rename <orgId> <name>                 give an organisation a new name
  org list                                  list organisations
  org quota <orgId> [<MiB> | default]       room for the organisation's pictures: show it, set it, or back to
                                            the server's PICTURE_QUOTA_MB (default 2048)
  retention --org <orgId> [--set <5y | 18m | default>]
                                            how long the server keeps the organisation's session logs and
                                            feedback (default 5 years): show it, or set it in years or months
  site create --org <orgId> <name>          make a site of an organisation, print its id
  site rename <siteId> <name>               give a site a new name
  site list [--org <orgId>]                 list sites
  enrol-code --site <siteId> [--hours 168]  one-time code for one tablet of the site (default 7 days)
  devices list [--org <orgId>]              list enrolled tablets
  device revoke <deviceId> [--wipe]         stop a tablet at once; --wipe also makes it erase its data
  export --org <orgId> [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--out <dir>]
                                            session logs and feedback as CSV files (--json: everything as JSON)
  user create --org <orgId> [--site <siteId>] --role coordinator|site-admin <email>
                                            a console account (coordinator: the whole organisation;
                                            site-admin: one site); prints its one-time set-up link
  stats                                     counts of everything
  restored                                  run once after restoring the database from a backup, before
                                            starting the server: tablets then fetch everything again and
                                            send what the restored database lacks

Uses DATA_DIR (SQLite) or DATABASE_URL (PostgreSQL) like the server. PUBLIC_URL sets the address of the enrolment
and set-up links. Commands that change or export an organisation are written to its audit log (the console shows it).`;

class UsageError extends Error {}

interface Parsed {
  words: string[];
  options: Map<string, string | true>;
}

// Every option of every command: the commands check which they need (--org is required, ...).
const OPTIONS = {
  org: { type: 'string' },
  site: { type: 'string' },
  hours: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  out: { type: 'string' },
  role: { type: 'string' },
  set: { type: 'string' },
  json: { type: 'boolean' },
  wipe: { type: 'boolean' },
  help: { type: 'boolean' },
} as const;

/** Node's own words for a bad option, as this command line says it: "Unknown option --colour.", "--org needs a value." */
function usageProblem(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  const option = /'(-{1,2}[^' ]*)/.exec(message ?? '')?.[1] ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `Unknown option ${option}.`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE')
    return /does not take an argument/.test(message ?? '') ? `${option} takes no value.` : `${option} needs a value.`;
  return 'The command line is not right. Run with --help to see the commands.';
}

export function parseArguments(args: string[]): Parsed {
  let parsed: ReturnType<typeof parseArgs<{ args: string[]; options: typeof OPTIONS; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(usageProblem(error));
  }
  const options = new Map<string, string | true>();
  for (const [name, value] of Object.entries(parsed.values))
    if (value !== undefined && value !== false) options.set(name, value === true ? true : String(value));
  return { words: parsed.positionals, options };
}

function option(parsed: Parsed, name: string, required: true): string;
function option(parsed: Parsed, name: string, required?: false): string | undefined;
function option(parsed: Parsed, name: string, required = false): string | undefined {
  const value = parsed.options.get(name);
  if (value === undefined) {
    if (required) throw new UsageError(`--${name} is required.`);
    return undefined;
  }
  return String(value);
}

/** A calendar day in local time; `end` gives the start of the next day, so --to includes the whole day. */
function parseDay(text: string | undefined, name: string, end = false): number | undefined {
  if (text === undefined) return undefined;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const [year, month, day] = match ? [Number(match[1]), Number(match[2]) - 1, Number(match[3])] : [NaN, NaN, NaN];
  const date = new Date(year, month, day);
  if (!match || date.getFullYear() !== year || date.getMonth() !== month || date.getDate() !== day)
    throw new UsageError(`--${name} must be a date like 2026-03-31.`);
  return end ? new Date(year, month, day + 1).getTime() : date.getTime();
}

function name(parsed: Parsed, from: number, what: string): string {
  const text = parsed.words.slice(from).join(' ').trim();
  if (!text) throw new UsageError(`Give the ${what}'s name.`);
  return text;
}

type Output = { json: boolean; print: (text: string) => void };

function show(out: Output, value: unknown, text: string): void {
  out.print(out.json ? JSON.stringify(value, null, 2) : text);
}

// Local time where the drop-ins happen (Europe/Helsinki), "2026-03-10" and "12:00": what a coordinator expects, not UTC.
const day = (ms: unknown) => helsinkiDateTime(ms).date;
const clockTime = (ms: unknown) => helsinkiDateTime(ms).time;

/** A field of a stored record or answer set, only when the record itself has it: never `constructor` or `toString` of every object. */
function own(source: unknown, key: string): unknown {
  return typeof source === 'object' && source !== null && Object.hasOwn(source, key) ? (source as Record<string, unknown>)[key] : undefined;
}

/** A cell from a stored value: text and numbers as they are, anything else (an object from an old record) empty. */
function cell(value: unknown): CsvCell {
  return typeof value === 'string' || typeof value === 'number' ? value : '';
}

// The tablet's log columns (same names, same order), with the log's id, site and instructor profile around them.
const SESSION_COLUMNS = ['id', 'site', ...SESSION_LOG_COLUMNS, 'instructor'];

function sessionRows(records: ExportedRecord[], siteNames: Map<string, string>, guideTitles: Map<string, string>): string {
  const labels = (group: string, value: unknown) =>
    Array.isArray(value)
      ? value
          .filter((v) => typeof v === 'string')
          .map((v) => sessionLabel(group, v))
          .join('; ')
      : '';
  const label = (group: string, value: unknown) => (typeof value === 'string' && value ? sessionLabel(group, value) : '');
  const rows = records
    .filter((record) => own(record, 'deleted') !== 1)
    .map((record): CsvCell[] => {
      const participants = own(record, 'participants');
      const count = (role: string, kind: 'new' | 'returning') => {
        const value = own(own(participants, role), kind);
        return typeof value === 'number' ? value : 0;
      };
      const guides = own(record, 'guidesUsed');
      const status = own(record, 'status');
      return [
        record.id,
        siteNames.get(record.siteId ?? '') ?? record.siteId,
        day(own(record, 'startedAt')),
        clockTime(own(record, 'startedAt')),
        label('durationBand', own(record, 'durationBand')),
        label('format', own(record, 'format')),
        label('channel', own(record, 'channel')),
        ...SESSION_VOCABULARY.roles.flatMap((role) => [count(role, 'new'), count(role, 'returning')]),
        labels('topics', own(record, 'topics')),
        Array.isArray(guides)
          ? guides
              .filter((id) => typeof id === 'string')
              .map((id) => guideTitles.get(id) ?? id)
              .join('; ')
          : '',
        labels('devicesUsed', own(record, 'devicesUsed')),
        label('outcome', own(record, 'outcome')),
        labels('referredTo', own(record, 'referredTo')),
        labels('barriers', own(record, 'barriers')),
        cell(own(record, 'note')),
        typeof status === 'string' ? statusLabel(status) : '',
        cell(own(record, 'instructorId')),
      ];
    });
  // The shared writer escapes every cell a spreadsheet could run, such as "=HYPERLINK(...)" with a line after it.
  return csvText([SESSION_COLUMNS.map(logColumn), ...rows], EXCEL_DELIMITER);
}

/** One column per question the app asks: an answer's key never names or overwrites a column. */
function feedbackRows(records: ExportedRecord[], siteNames: Map<string, string>): string {
  const rows = records.map((record): CsvCell[] => {
    const answers = own(record, 'answers');
    return [
      record.id,
      siteNames.get(record.siteId ?? '') ?? record.siteId,
      day(own(record, 'createdAt')),
      clockTime(own(record, 'createdAt')),
      cell(own(record, 'lang')),
      cell(own(record, 'sessionId')),
      ...FEEDBACK_QUESTIONS.map((question) => {
        const answer = own(answers, question);
        if (Array.isArray(answer))
          return answer
            .filter((a) => typeof a === 'string' || typeof a === 'number')
            .map((a) => feedbackAnswer(question, a))
            .join('; ');
        return typeof answer === 'string' || typeof answer === 'number' ? feedbackAnswer(question, answer) : '';
      }),
    ];
  });
  const header = [
    logColumn('id'),
    logColumn('site'),
    logColumn('date'),
    logColumn('time'),
    logColumn('language'),
    logColumn('session'),
    ...FEEDBACK_QUESTIONS.map(feedbackQuestion),
  ];
  return csvText([header, ...rows], EXCEL_DELIMITER);
}

/** The address people open: PUBLIC_URL, else the running server's own (it writes it at start), else localhost. */
function serverBase(env: NodeJS.ProcessEnv): string {
  return env.PUBLIC_URL ?? runningServerUrl(readConfig(env).dataDir) ?? `http://localhost:${env.PORT ?? '8080'}`;
}

export async function runCommand(store: Store, args: string[], out: Output, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const parsed = parseArguments(args);
  const [command, sub] = parsed.words;
  const key = ['org', 'site', 'devices', 'device', 'user'].includes(command ?? '') ? `${command} ${sub ?? ''}` : (command ?? '');
  const consoleStore = new ConsoleStore(store.database);
  // Every command that changes or reads out an organisation is in its audit log, as the console's actions are.
  const audit = (orgId: string, target: string | null = null, detail: Record<string, unknown> = {}) =>
    consoleStore.audit({ orgId, at: Date.now(), actor: 'cli', action: `cli:${key}`, target, detail });
  switch (key) {
    case 'org create': {
      const organisation = await createOrganisation(store, name(parsed, 2, 'organisation'));
      await audit(organisation.id, organisation.id, { name: organisation.name });
      return show(out, organisation, organisation.id);
    }
    case 'user create': {
      const orgId = option(parsed, 'org', true);
      const email = parsed.words[2];
      if (!email || parsed.words.length > 3) throw new UsageError('Give one email address, e.g. user create --org <orgId> --role coordinator name@example.org');
      const made = await createConsoleAccount(
        store,
        consoleStore,
        { orgId, siteId: option(parsed, 'site') ?? null, role: option(parsed, 'role', true), email },
        Date.now(),
      );
      await audit(orgId, made.user.id, { email: made.user.email, role: made.user.role, siteId: made.user.siteId });
      const link = setupLink(serverBase(env), made.token);
      return show(
        out,
        { user: made.user, setupLink: link, expiresAt: new Date(made.expiresAt).toISOString() },
        `Console account ${made.user.email} (${made.user.role}).\n` +
          `Set-up link (one use, valid until ${plainTime(made.expiresAt)}); give it to that person only:\n${link}`,
      );
    }
    case 'org rename': {
      const orgId = parsed.words[2];
      if (!orgId) throw new UsageError('Give the organisation id (see "org list") and the new name.');
      const organisation = await renameOrganisation(store, orgId, name(parsed, 3, 'organisation'));
      await audit(orgId, orgId, { name: organisation.name });
      return show(out, organisation, `Renamed: ${organisation.name}`);
    }
    case 'site rename': {
      const siteId = parsed.words[2];
      if (!siteId) throw new UsageError('Give the site id (see "site list") and the new name.');
      const site = await renameSite(store, siteId, name(parsed, 3, 'site'));
      await audit(site.orgId, site.id, { name: site.name });
      return show(out, site, `Renamed: ${site.name}`);
    }
    case 'org list': {
      const organisations = await store.listOrganisations();
      return show(out, organisations, organisations.map((o) => `${o.id}  ${o.name}`).join('\n') || 'No organisations yet.');
    }
    case 'org quota': {
      const orgId = parsed.words[2];
      const wanted = parsed.words[3];
      if (!orgId) throw new UsageError('Give the organisation id (see "org list").');
      if (wanted !== undefined && wanted !== 'default' && !/^\d{1,9}$/.test(wanted))
        throw new UsageError('The room for pictures is a whole number of MiB, e.g. 4096, or "default".');
      if (!(await store.findOrganisation(orgId))) throw new AdminInputError(`There is no organisation with id ${orgId}. See "org list".`);
      if (wanted !== undefined) {
        await store.setBlobQuota(orgId, wanted === 'default' ? null : Number(wanted) * 1024 * 1024);
        await audit(orgId, orgId, { quotaMiB: wanted === 'default' ? null : Number(wanted) });
      }
      const usage = await store.blobUsage(orgId);
      const defaultBytes = readConfig(env).blobQuotaBytes!;
      const quotaBytes = usage.quotaBytes ?? defaultBytes;
      const mib = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`;
      return show(
        out,
        { orgId, usedBytes: usage.usedBytes, quotaBytes, serverDefault: usage.quotaBytes === null },
        `Pictures use ${mib(usage.usedBytes)} of ${mib(quotaBytes)}${usage.quotaBytes === null ? " (the server's default, PICTURE_QUOTA_MB)" : ''}.`,
      );
    }
    case 'retention': {
      const orgId = option(parsed, 'org', true);
      const wanted = option(parsed, 'set');
      // Checked before anything is looked up or changed: bad input changes nothing.
      const months = wanted === undefined || wanted === 'default' ? undefined : parseRetention(wanted);
      if (months && 'problem' in months) throw new UsageError(months.problem);
      if (!(await store.getRetention(orgId))) throw new AdminInputError(`There is no organisation with id ${orgId}. See "org list".`);
      if (wanted !== undefined) {
        const chosen = months && 'months' in months ? months.months : null;
        await store.setRetention(orgId, chosen);
        // As the console's settings change is written: null is back to the server's default.
        await audit(orgId, orgId, { retentionMonths: chosen });
      }
      const retention = (await store.getRetention(orgId))!;
      return show(
        out,
        { orgId, months: retention.months, isDefault: retention.isDefault },
        `The server keeps this organisation's session logs and feedback for ${describeMonths(retention.months)}` +
          `${retention.isDefault ? ' (the default)' : ''}. Older ones are deleted every hour.`,
      );
    }
    case 'site create': {
      const site = await createSite(store, option(parsed, 'org', true), name(parsed, 2, 'site'));
      await audit(site.orgId, site.id, { name: site.name });
      return show(out, site, site.id);
    }
    case 'site list': {
      const sites = await store.listSites(option(parsed, 'org'));
      return show(out, sites, sites.map((s) => `${s.id}  ${s.name}  (organisation ${s.orgId})`).join('\n') || 'No sites yet.');
    }
    case 'enrol-code': {
      const hoursText = option(parsed, 'hours');
      if (hoursText !== undefined && !/^\d+(\.\d+)?$/.test(hoursText)) throw new UsageError('--hours must be a number of hours, e.g. 72.');
      const enrolment = await createEnrolmentCode(store, option(parsed, 'site', true), hoursText === undefined ? ENROLMENT_HOURS_DEFAULT : Number(hoursText));
      await audit(enrolment.orgId, enrolment.siteId, { expiresAt: enrolment.expiresAt });
      // The running server's own address (it writes it at start), so the link has the real port.
      const base = serverBase(env);
      const link = enrolmentLink(base, enrolment.code);
      const localOnly = env.PUBLIC_URL === undefined && /^https?:\/\/(localhost|127\.|\[::1\])/.test(base);
      const warning = localOnly
        ? '\nNote: this link uses localhost, which works only on this computer. Set PUBLIC_URL to the address tablets use, or type the code on the tablet.'
        : '';
      return show(
        out,
        { ...enrolment, expiresAt: new Date(enrolment.expiresAt).toISOString(), link },
        `Enrolment code: ${enrolment.code}\nValid until ${plainTime(enrolment.expiresAt)} (single use, one tablet).\n` +
          `Type it on the tablet: Ohjaajalle → PIN → Synkronointi.\nOr open on the tablet: ${link}${warning}\n` +
          `Or point the tablet's camera here:\n${await QRCode.toString(link, { type: 'terminal', small: true })}`,
      );
    }
    case 'devices list': {
      const devices = (await store.listDevices(option(parsed, 'org'))).map(({ tokenHash: _hidden, ...device }) => device);
      const state = (d: (typeof devices)[number]) => (d.revokedAt === null ? 'active' : d.wipe ? 'revoked+wipe' : 'revoked');
      return show(
        out,
        devices,
        devices
          .map(
            (d) => `${d.id}  ${state(d).padEnd(12)}  ${d.name}  (site ${d.siteId}, last seen ${d.lastSeenAt ? new Date(d.lastSeenAt).toISOString() : 'never'})`,
          )
          .join('\n') || 'No devices yet.',
      );
    }
    case 'device revoke': {
      const deviceId = parsed.words[2];
      if (!deviceId) throw new UsageError('Give the device id (see "devices list").');
      const device = await revokeDevice(store, deviceId, parsed.options.has('wipe'));
      await audit(device.orgId, device.id, { wipe: device.wipe });
      const { tokenHash: _hidden, ...shown } = device;
      return show(out, shown, `Revoked ${device.name} (${device.id})${device.wipe ? '; it will erase its data when it next connects' : ''}.`);
    }
    case 'export': {
      const from = parseDay(option(parsed, 'from'), 'from');
      const to = parseDay(option(parsed, 'to'), 'to', true);
      const data = await exportOrganisation(store, option(parsed, 'org', true), { from, to });
      await audit(data.organisation.id, null, { from: from ?? null, to: to ?? null });
      if (out.json) return out.print(JSON.stringify(data, null, 2));
      const siteNames = new Map(data.sites.map((site) => [site.id, site.name]));
      const dir = resolve(option(parsed, 'out') ?? `export-${data.organisation.id.slice(0, 8)}`);
      mkdirSync(dir, { recursive: true });
      // Own guides by their titles; a built-in guide (not kept on the server) by its id, e.g. b-kela-liite-fi.
      const guideTitles = new Map(
        data.guides.flatMap((guide) => (typeof own(guide, 'title') === 'string' ? [[guide.id, own(guide, 'title') as string] as const] : [])),
      );
      writeFileSync(join(dir, 'sessions.csv'), sessionRows(data.sessions, siteNames, guideTitles));
      writeFileSync(join(dir, 'feedback.csv'), feedbackRows(data.feedback, siteNames));
      // Counted as written: deleted logs are left out of the file, so they are left out of the count.
      const written = data.sessions.filter((record) => record.deleted !== 1).length;
      return out.print(`Wrote ${written} session logs and ${data.feedback.length} feedback answers to ${dir}`);
    }
    case 'stats': {
      const stats = await store.stats();
      return show(
        out,
        stats,
        [
          `Organisations: ${stats.organisations}, sites: ${stats.sites}, devices: ${stats.devices} (${stats.activeDevices} active)`,
          `Records: ${
            Object.entries(stats.records)
              .map(([table, n]) => `${table} ${n}`)
              .join(', ') || 'none'
          }`,
          `Pictures: ${stats.blobs} (${(stats.blobBytes / 1024 / 1024).toFixed(1)} MB), quarantined mutations: ${stats.quarantined}`,
        ].join('\n'),
      );
    }
    case 'restored': {
      // The restored database hands out change numbers that tablets have seen before: a new generation makes every
      // old cursor unknown (a full resend), and the watermark now describes this database.
      const generation = await store.rotateGeneration();
      for (const organisation of await store.listOrganisations()) await audit(organisation.id);
      await writeWatermark(store, readConfig(env).dataDir, Date.now());
      return show(
        out,
        { generation },
        `New database generation ${generation}.\nEvery tablet fetches everything again at its next sync and sends what the restored database lacks.`,
      );
    }
    case 'help':
    case '':
      return out.print(USAGE);
    default:
      throw new UsageError(`Unknown command "${parsed.words.join(' ')}".`);
  }
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  let parsed: Parsed;
  try {
    parsed = parseArguments(args);
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const json = parsed.options.has('json');
  if (parsed.options.has('help') || !parsed.words.length) {
    console.log(USAGE);
    return 0;
  }
  let store: Store | undefined;
  try {
    store = await openStore(readConfig());
    await runCommand(store, args, { json, print: (text) => console.log(text) });
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof AdminInputError || error instanceof ConfigError) {
      console.error(error.message);
      return 2;
    }
    console.error(error instanceof Error ? `Failed: ${error.message}` : error);
    return 1;
  } finally {
    await store?.close();
  }
}

// Run only as a program, not when a test imports runCommand.
if (process.argv[1] && /cli\.ts$/.test(process.argv[1])) {
  void main().then((code) => {
    process.exitCode = code;
  });
}
