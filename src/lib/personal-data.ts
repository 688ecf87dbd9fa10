// Owns the on-device check that flags likely personal data in an instructor's note before it is saved:
// Finnish personal identity codes (also with a mistyped check character), Finnish phone numbers and email addresses.
// Pure and dependency-free: it only says where it looks like personal data; the screen decides what to do.

export type PersonalDataKind = 'identity-code' | 'phone' | 'email';

export interface PersonalDataFinding {
  kind: PersonalDataKind;
  start: number;
  end: number; // exclusive
}

/** The check characters of the identity code, indexed by (birth date and individual number) mod 31. */
export const IDENTITY_CHECK_CHARACTERS = '0123456789ABCDEFHJKLMNPRSTUVWXY';

/** Century signs: '+' 1800s; '-' and Y–U 1900s; A–F 2000s (the extra signs exist since 2023). */
const CENTURY: Record<string, number> = {
  '+': 1800,
  '-': 1900,
  Y: 1900,
  X: 1900,
  W: 1900,
  V: 1900,
  U: 1900,
  A: 2000,
  B: 2000,
  C: 2000,
  D: 2000,
  E: 2000,
  F: 2000,
};

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** True when `code` (DDMMYYCZZZQ) has the shape of an identity code: a real date, a known century sign and an individual number. */
export function looksLikeIdentityCode(code: string): boolean {
  return identityCodeParts(code) !== undefined;
}

/** True when `code` (DDMMYYCZZZQ) is a well-formed identity code: a real date, a known century sign and the right check character. */
export function isValidIdentityCode(code: string): boolean {
  const parts = identityCodeParts(code);
  if (!parts) return false;
  return IDENTITY_CHECK_CHARACTERS[Number(`${parts.digits}${parts.individual}`) % 31] === parts.check;
}

function identityCodeParts(code: string): { digits: string; individual: string; check: string } | undefined {
  const match = /^(\d{2})(\d{2})(\d{2})([-+A-FU-Y])(\d{3})([0-9A-Y])$/i.exec(code);
  if (!match) return undefined;
  const [, dd, mm, yy, sign, individual, check] = match as unknown as [string, string, string, string, string, string, string];
  const century = CENTURY[sign.toUpperCase()];
  if (century === undefined) return undefined;
  const day = Number(dd);
  const month = Number(mm);
  const year = century + Number(yy);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (Number(individual) < 2) return undefined; // 000 and 001 are never given out
  return { digits: `${dd}${mm}${yy}`, individual, check: check.toUpperCase() };
}

// Candidates are checked for a real date by code; a wrong check character is still flagged: a mistyped code is still someone's.
const IDENTITY_CANDIDATE = /(?<![\p{L}\p{N}])\d{6}[-+A-FU-Y]\d{3}[0-9A-Y](?![\p{L}\p{N}])/giu;
// +358 or 00358, an optional "(0)", then 6–10 digits in groups split by single spaces or dashes.
const INTERNATIONAL_PHONE = /(?<![\p{N}+])(?:\+|00)358[ -]?(?:\(0\)[ -]?)?[1-9](?:[ -]?\d){5,9}(?!\p{N})/gu;
// Mobile and other numbers written the Finnish way: 04x… or 05x…, 7–10 digits in all.
const NATIONAL_PHONE = /(?<![\p{N}+])0[45]\d(?:[ -]?\d){4,7}(?!\p{N})/gu;
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;

function matches(pattern: RegExp, text: string): { start: number; end: number; text: string }[] {
  return [...text.matchAll(pattern)].map((m) => ({ start: m.index, end: m.index + m[0].length, text: m[0] }));
}

const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) => a.start < b.end && b.start < a.end;

/** Every place in `text` that looks like personal data, in reading order. An identity code is not also reported as a phone number. */
export function findPersonalData(text: string): PersonalDataFinding[] {
  const candidates = matches(IDENTITY_CANDIDATE, text).filter((m) => looksLikeIdentityCode(m.text));
  const codes = candidates.filter((m) => isValidIdentityCode(m.text)).map((m): PersonalDataFinding => ({ kind: 'identity-code', start: m.start, end: m.end }));
  const emails = matches(EMAIL, text).map((m): PersonalDataFinding => ({ kind: 'email', start: m.start, end: m.end }));
  const phones = [...matches(INTERNATIONAL_PHONE, text), ...matches(NATIONAL_PHONE, text)]
    .filter((m) => !codes.some((code) => overlaps(code, m)) && !emails.some((email) => overlaps(email, m)))
    .map((m): PersonalDataFinding => ({ kind: 'phone', start: m.start, end: m.end }));
  // A code with a wrong check character is still flagged, unless it reads as a phone number (040100-0020 is both).
  const mistyped = candidates
    .filter((m) => !isValidIdentityCode(m.text) && !phones.some((phone) => overlaps(phone, m)) && !emails.some((email) => overlaps(email, m)))
    .map((m): PersonalDataFinding => ({ kind: 'identity-code', start: m.start, end: m.end }));
  return [...codes, ...mistyped, ...emails, ...phones].sort((a, b) => a.start - b.start);
}

/** The kinds found, each once, for a short warning ("looks like a phone number and an email address"). */
export function personalDataKinds(text: string): PersonalDataKind[] {
  return [...new Set(findPersonalData(text).map((finding) => finding.kind))];
}
