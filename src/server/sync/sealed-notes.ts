// Owns the server's side of sealed notes: each organisation's note key pair (made on first need, kept in the
// database), and opening the sealed notes of a push before it is applied, so the records hold notes in clear (the
// server is trusted; the administrator's export shows them). A note that cannot be opened stays sealed and the content
// rules quarantine its change with a plain reason (content-rules.ts); nothing here throws for any body.
import { generateNoteKeyPair, importNotePrivateKey, isSealed, openNote } from '../../protocol';
import type { Store } from '../store';

/** The organisation's public note key, made now if it has none. */
export async function orgNotePublicKey(store: Store, orgId: string, now: number): Promise<string> {
  return (await store.orgNoteKeys(orgId, generateNoteKeyPair, now)).publicKey;
}

type Mutation = { mutationId: number; [key: string]: unknown };

function sealedNoteOf(entry: Mutation): string | undefined {
  const fields = entry.fields;
  if (entry.table !== 'sessions' || !fields || typeof fields !== 'object' || !Object.hasOwn(fields, 'note')) return undefined;
  const note = (fields as Record<string, unknown>).note;
  return isSealed(note) ? note : undefined;
}

/** The mutations with every sealed note this organisation's key opens replaced by its text; the others as they came. */
export async function openSealedNotes(store: Store, orgId: string, mutations: readonly Mutation[], now: number): Promise<Mutation[]> {
  if (!mutations.some((entry) => sealedNoteOf(entry) !== undefined)) return [...mutations];
  const privateKey = await importNotePrivateKey((await store.orgNoteKeys(orgId, generateNoteKeyPair, now)).privateKey);
  const opened: Mutation[] = [];
  for (const entry of mutations) {
    const sealed = sealedNoteOf(entry);
    const note = sealed === undefined ? undefined : await openNote(sealed, privateKey);
    opened.push(note === undefined ? entry : { ...entry, fields: { ...(entry.fields as Record<string, unknown>), note } });
  }
  return opened;
}
