// Owns the administrator's operations (organisations, sites, enrolment codes, devices, exports), used by the CLI and by first start.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { enrolmentCodeHash, newEnrolmentCode } from './credentials';
import type { Device, Organisation, Site, Store, StoredRecord } from './store';

export class AdminInputError extends Error {}

const NAME_MAX = 120;

function checkName(kind: string, name: string): string {
  const trimmed = name.trim();
  if (!trimmed) throw new AdminInputError(`The ${kind} needs a name.`);
  if (trimmed.length > NAME_MAX) throw new AdminInputError(`The ${kind} name is too long (at most ${NAME_MAX} characters).`);
  return trimmed;
}

export async function createOrganisation(store: Store, name: string, now = Date.now()): Promise<Organisation> {
  const organisation = { id: randomUUID(), name: checkName('organisation', name), createdAt: now };
  await store.createOrganisation(organisation, randomBytes(8).toString('hex'));
  return organisation;
}

export async function createSite(store: Store, orgId: string, name: string, now = Date.now()): Promise<Site> {
  const checkedName = checkName('site', name);
  if (!(await store.findOrganisation(orgId))) throw new AdminInputError(`There is no organisation with id ${orgId}. See "org list".`);
  const site = { id: randomUUID(), orgId, name: checkedName, createdAt: now };
  await store.createSite(site);
  return site;
}

export async function renameOrganisation(store: Store, id: string, name: string): Promise<Organisation> {
  const checkedName = checkName('organisation', name);
  if (!(await store.renameOrganisation(id, checkedName))) throw new AdminInputError(`There is no organisation with id ${id}. See "org list".`);
  const { cursorEpoch: _epoch, changeSeq: _seq, ...organisation } = (await store.findOrganisation(id))!;
  return organisation;
}

export async function renameSite(store: Store, id: string, name: string): Promise<Site> {
  const checkedName = checkName('site', name);
  if (!(await store.renameSite(id, checkedName))) throw new AdminInputError(`There is no site with id ${id}. See "site list".`);
  return (await store.findSite(id))!;
}

/** A moment as "2026-12-07 14:05" in the server's local time: never "07/12/2026", which reads two ways. */
export function plainTime(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
}

/** The first organisation and site are named in Finnish, the app's first language; `org rename` and `site rename` change them. */
export const FIRST_ORGANISATION_NAME = 'Oma organisaatio';
export const FIRST_SITE_NAME = 'Ensimmäinen toimipaikka';

export const ENROLMENT_HOURS_DEFAULT = 7 * 24;
export const ENROLMENT_HOURS_MAX = 30 * 24;

export interface EnrolmentCode {
  code: string;
  siteId: string;
  orgId: string;
  expiresAt: number;
}

/** A one-time code for one tablet of the site; only its hash is stored, so it is shown this once. */
export async function createEnrolmentCode(store: Store, siteId: string, hours = ENROLMENT_HOURS_DEFAULT, now = Date.now()): Promise<EnrolmentCode> {
  if (!Number.isFinite(hours) || hours <= 0 || hours > ENROLMENT_HOURS_MAX) {
    throw new AdminInputError(`--hours must be a number from 1 to ${ENROLMENT_HOURS_MAX}.`);
  }
  const site = await store.findSite(siteId);
  if (!site) throw new AdminInputError(`There is no site with id ${siteId}. See "site list".`);
  const code = newEnrolmentCode();
  const expiresAt = now + Math.round(hours * 3_600_000);
  await store.createEnrolmentCode({ codeHash: enrolmentCodeHash(code), orgId: site.orgId, siteId, createdAt: now, expiresAt });
  return { code, siteId, orgId: site.orgId, expiresAt };
}

/**
 * The link that opens the enrolment form on a tablet with the code filled in. The code is in the fragment (after #),
 * which a browser never sends, so it stays out of the server's and any proxy's logs.
 */
export function enrolmentLink(base: string, code: string): string {
  return `${base.replace(/\/+$/, '')}/enrol#code=${encodeURIComponent(code)}`;
}

export async function revokeDevice(store: Store, deviceId: string, wipe: boolean, now = Date.now()): Promise<Device> {
  if (!(await store.revokeDevice(deviceId, wipe, now))) throw new AdminInputError(`There is no device with id ${deviceId}. See "devices list".`);
  return (await store.findDevice(deviceId))!;
}

/** On an empty database: a first organisation, site and enrolment code, so a newcomer can enrol a tablet at once. */
export async function bootstrapIfEmpty(
  store: Store,
  now = Date.now(),
): Promise<{ organisation: Organisation; site: Site; enrolment: EnrolmentCode } | undefined> {
  if ((await store.listOrganisations()).length) return undefined;
  const organisation = await createOrganisation(store, FIRST_ORGANISATION_NAME, now);
  const site = await createSite(store, organisation.id, FIRST_SITE_NAME, now);
  const enrolment = await createEnrolmentCode(store, site.id, ENROLMENT_HOURS_DEFAULT, now);
  return { organisation, site, enrolment };
}

export interface OrganisationExport {
  organisation: Organisation;
  sites: Site[];
  guides: ExportedRecord[];
  guideSteps: ExportedRecord[];
  sessions: ExportedRecord[];
  feedback: ExportedRecord[];
}

export interface ExportedRecord {
  id: string;
  siteId: string | null;
  [field: string]: unknown;
}

/** An organisation's synced data; logs and feedback optionally limited to those started/given within [from, to). */
export async function exportOrganisation(store: Store, orgId: string, range: { from?: number; to?: number } = {}): Promise<OrganisationExport> {
  const organisation = await store.findOrganisation(orgId);
  if (!organisation) throw new AdminInputError(`There is no organisation with id ${orgId}. See "org list".`);
  const inRange = (time: unknown) =>
    typeof time === 'number' && (range.from === undefined || time >= range.from) && (range.to === undefined || time < range.to);
  const records = await store.recordsOfOrganisation(orgId);
  const of = (table: string) => records.filter((record) => record.table === table);
  return {
    organisation: { id: organisation.id, name: organisation.name, createdAt: organisation.createdAt },
    sites: await store.listSites(orgId),
    guides: of('guides').map(flatten),
    guideSteps: of('guideSteps').map(flatten),
    sessions: of('sessions')
      .filter((record) => (range.from === undefined && range.to === undefined ? true : inRange(record.fields.startedAt)))
      .map(flatten),
    feedback: of('feedback')
      .filter((record) => (range.from === undefined && range.to === undefined ? true : inRange(record.fields.createdAt)))
      .map(flatten),
  };
}

function flatten(record: StoredRecord): ExportedRecord {
  return { ...record.fields, id: record.id, siteId: record.siteId || null }; // bookkeeping last: a field can never pose as the id
}

const SERVER_URL_FILE = 'server-url';

/** `npm start` notes where it answers, so `enrol-code` (another process) prints a link with the real port. */
export function noteRunningServerUrl(dataDir: string, url: string): void {
  try {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, SERVER_URL_FILE), `${url}\n`);
  } catch {
    // Only a convenience for the link: the server runs the same without it.
  }
}

export function runningServerUrl(dataDir: string): string | undefined {
  try {
    const url = readFileSync(join(dataDir, SERVER_URL_FILE), 'utf8').trim();
    return /^https?:\/\/[^\s]+$/.test(url) ? url : undefined;
  } catch {
    return undefined;
  }
}
