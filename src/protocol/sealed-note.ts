// Owns the sealed note: how a session note travels from a tablet to the server so that only the server can read it,
// and which fields never travel back to a tablet. Pure WebCrypto (browser and Node alike); shared by client and server.
//
// Sealing (README, "Session notes"): the organisation has an ECDH P-256 key pair; the server keeps the private key.
// For each note the tablet makes a one-time key pair, derives an AES-256-GCM key with HKDF-SHA256 from the shared
// secret (salt: the one-time public key, info: SEAL_INFO), and encrypts the note. The envelope is one string:
//   sealed:v1:<one-time public key, raw, base64url>:<iv, base64url>:<ciphertext + tag, base64url>
// The prefix is bound as additional data, so a v1 body cannot be replayed under another version's rules.
import type { PulledRecord } from './messages';
import type { SyncedTable } from './tables';

// The key type as crypto.subtle itself names it: the server's type check has Node's types, not the DOM's.
type CryptoKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;

export const SEALED_PREFIX = 'sealed:v1:';
/** A tablet's own at-rest ciphertext (src/lock/data-key.ts): never meant for the server, refused if one arrives. */
export const LOCAL_NOTE_PREFIX = 'enc:v1:';
const SEAL_INFO = new TextEncoder().encode('digituki note v1');
const CURVE = { name: 'ECDH', namedCurve: 'P-256' } as const;
/** A P-256 public key in raw (uncompressed) form. */
const PUBLIC_KEY_BYTES = 65;
const IV_BYTES = 12;
/** 280 characters of four UTF-8 bytes each, and the tag: a longer body is not a note. */
const MAX_CIPHERTEXT_BYTES = 280 * 4 + 16;

/**
 * Fields a tablet sends and never gets back: a note is written for the server (reports, the administrator's export),
 * not for the other tablets of the site. Pull pages and reconciliation records leave out their values and clocks, and
 * the digest leaves out their clocks on both sides, so the author's tablet, the others and the server agree.
 */
export const WRITE_ONLY_FIELDS: Partial<Record<SyncedTable, readonly string[]>> = { sessions: ['note'] };

export function isWriteOnlyField(table: SyncedTable, name: string): boolean {
  return WRITE_ONLY_FIELDS[table]?.includes(name) ?? false;
}

/** A pulled record as a tablet may see it: without the write-only fields' values and clocks. */
export function withoutWriteOnlyFields(change: PulledRecord): PulledRecord {
  const hidden = WRITE_ONLY_FIELDS[change.table];
  if (!hidden?.some((name) => Object.hasOwn(change.fields, name) || Object.hasOwn(change.fieldClocks, name))) return change;
  const keep = ([name]: [string, unknown]) => !hidden.includes(name);
  return {
    ...change,
    fields: Object.fromEntries(Object.entries(change.fields).filter(keep)),
    fieldClocks: Object.fromEntries(Object.entries(change.fieldClocks).filter(keep)) as Record<string, string>,
  };
}

export function isSealed(value: unknown): value is `sealed:v1:${string}` {
  return typeof value === 'string' && value.startsWith(SEALED_PREFIX);
}

// --- base64url without padding (no Buffer: this runs in the browser too) --------------------------------------------

export function toBase64Url(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Decodes base64url; undefined for anything that is not. */
export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return undefined;
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

// --- keys ------------------------------------------------------------------------------------------------------

export interface NoteKeyPair {
  /** Raw P-256 public key, base64url: what tablets get. */
  publicKey: string;
  /** PKCS#8 private key, base64url: stays on the server. */
  privateKey: string;
}

export async function generateNoteKeyPair(): Promise<NoteKeyPair> {
  const pair = await crypto.subtle.generateKey(CURVE, true, ['deriveBits']);
  return {
    publicKey: toBase64Url(new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey))),
    privateKey: toBase64Url(new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey))),
  };
}

/** A well-formed organisation public key (65 raw bytes on P-256), or undefined. */
export async function importNotePublicKey(publicKey: string): Promise<CryptoKey | undefined> {
  const raw = fromBase64Url(publicKey);
  if (!raw || raw.length !== PUBLIC_KEY_BYTES) return undefined;
  try {
    return await crypto.subtle.importKey('raw', raw, CURVE, false, []);
  } catch {
    return undefined;
  }
}

async function envelopeKey(privateKey: CryptoKey, publicKey: CryptoKey, salt: Uint8Array<ArrayBuffer>, usage: 'encrypt' | 'decrypt'): Promise<CryptoKey> {
  const shared = await crypto.subtle.deriveBits({ name: 'ECDH', public: publicKey }, privateKey, 256);
  const material = await crypto.subtle.importKey('raw', shared, 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey({ name: 'HKDF', hash: 'SHA-256', salt, info: SEAL_INFO }, material, { name: 'AES-GCM', length: 256 }, false, [usage]);
}

// --- seal and open ---------------------------------------------------------------------------------------------

/** Seals a note to the organisation's public key. Throws only for a public key that is not one. */
export async function sealNote(note: string, orgPublicKey: string): Promise<string> {
  const recipient = await importNotePublicKey(orgPublicKey);
  if (!recipient) throw new Error('The organisation note key is not a P-256 public key.');
  const oneTime = await crypto.subtle.generateKey(CURVE, true, ['deriveBits']);
  const oneTimePublic = new Uint8Array(await crypto.subtle.exportKey('raw', oneTime.publicKey));
  const key = await envelopeKey(oneTime.privateKey, recipient, oneTimePublic, 'encrypt');
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const body = new Uint8Array(
    await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(SEALED_PREFIX) }, key, new TextEncoder().encode(note)),
  );
  return `${SEALED_PREFIX}${toBase64Url(oneTimePublic)}:${toBase64Url(iv)}:${toBase64Url(body)}`;
}

/** Imports the server's stored private key (PKCS#8, base64url). */
export async function importNotePrivateKey(privateKey: string): Promise<CryptoKey> {
  const raw = fromBase64Url(privateKey);
  if (!raw) throw new Error('The stored organisation note key is damaged.');
  return crypto.subtle.importKey('pkcs8', raw, CURVE, false, ['deriveBits']);
}

/** Opens a sealed note with the organisation's private key; undefined for any envelope it cannot open. Never throws. */
export async function openNote(sealed: string, privateKey: CryptoKey): Promise<string | undefined> {
  if (!isSealed(sealed)) return undefined;
  const parts = sealed.slice(SEALED_PREFIX.length).split(':');
  if (parts.length !== 3) return undefined;
  const [oneTimePublic, iv, body] = parts.map(fromBase64Url);
  if (
    !oneTimePublic ||
    oneTimePublic.length !== PUBLIC_KEY_BYTES ||
    !iv ||
    iv.length !== IV_BYTES ||
    !body ||
    body.length < 16 ||
    body.length > MAX_CIPHERTEXT_BYTES
  )
    return undefined;
  try {
    const sender = await crypto.subtle.importKey('raw', oneTimePublic, CURVE, false, []);
    const key = await envelopeKey(privateKey, sender, oneTimePublic, 'decrypt');
    const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(SEALED_PREFIX) }, key, body);
    return new TextDecoder('utf-8', { fatal: true }).decode(plain);
  } catch {
    return undefined;
  }
}
