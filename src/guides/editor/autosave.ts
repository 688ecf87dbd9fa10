// Owns autosave of the guide editor: every change reaches IndexedDB through saveRecord, typing after a short pause
// (~300 ms) and at once on blur, when the app is hidden or left. Until a typed change is in IndexedDB it also sits
// in a small journal in localStorage (written synchronously on every keystroke), so a crash or a reload inside the
// pause loses nothing: the editor replays the journal when it opens.
import { saveRecord } from '../../db/changes';
import { type GuideEditorJournalEntry, readStored, writeStored } from '../../db/device-local';
import { GUIDE_EDITOR_JOURNAL } from '../../db/device-local-places';
import { guideOrStepById } from '../../db/guides';
import { createObservable } from '../../lib/observable';
import { writeQueue } from '../../lib/write-queue';

export const TYPING_PAUSE_MS = 300;

type Table = GuideEditorJournalEntry['table'];
/** `at`: when the latest of these fields was typed, the change's time, also when replayed later. */
type Pending = GuideEditorJournalEntry;

/** 'saved' when everything typed is in IndexedDB; the editor shows it so instructors can trust it. */
export const saveState = createObservable<'saved' | 'saving' | 'failed'>('saved');

const pending = new Map<string, Pending>();
let timer: ReturnType<typeof setTimeout> | undefined;

// Every write of the editor runs in the order it was made, so a flush and a move never overtake each other.
const queue = writeQueue();
let inFlight = 0;
export function inOrder<T>(write: () => Promise<T>): Promise<T> {
  inFlight += 1;
  saveState.set('saving');
  const next = queue(write);
  next.then(
    () => {
      inFlight -= 1;
      if (inFlight === 0 && pending.size === 0) saveState.set('saved');
    },
    (error: unknown) => {
      inFlight -= 1;
      console.error('guide editor: saving failed', error);
      saveState.set('failed');
    },
  );
  return next;
}

function writeJournal(): void {
  // Not written when storage is full or blocked: IndexedDB still gets the change after the pause.
  writeStored(GUIDE_EDITOR_JOURNAL, pending.size === 0 ? undefined : [...pending.values()]);
}

/**
 * For a write an event starts (a pause in typing, a blur, a choice, leaving the page): its failure is already on screen
 * in the save-state line (inOrder sets 'failed' and logs it), so the rejection is only marked handled here.
 */
export function inBackground(write: Promise<unknown>): void {
  write.catch(() => undefined);
}

/** Remembers a typed change and writes it after the typing pause. */
export function saveSoon(table: Table, id: string, fields: Record<string, unknown>, now = Date.now()): void {
  const key = `${table}:${id}`;
  const current = pending.get(key);
  pending.set(key, { table, id, fields: { ...current?.fields, ...fields }, at: now });
  writeJournal();
  saveState.set('saving');
  clearTimeout(timer);
  timer = setTimeout(() => inBackground(flush()), TYPING_PAUSE_MS);
}

/** Writes every remembered change now (on blur, when hidden, when leaving a screen, before a move or a delete). */
export function flush(): Promise<void> {
  clearTimeout(timer);
  timer = undefined;
  if (pending.size === 0) return inOrder(async () => undefined);
  const batch = [...pending.values()];
  pending.clear();
  return inOrder(async () => {
    for (const change of batch) await saveRecord(change.table, change.id, change.fields, change.at);
    writeJournal();
  });
}

/** Saves a change at once (a choice, a picture, a move): nothing to wait for. */
export function saveNow(table: Table, id: string, fields: Record<string, unknown>, now = Date.now()): Promise<void> {
  return flush().then(() => inOrder(async () => void (await saveRecord(table, id, fields, now))));
}

/** Changes typed before a crash or reload that never reached IndexedDB; written now unless a later change exists. */
export async function replayJournal(): Promise<number> {
  const entries = readStored(GUIDE_EDITOR_JOURNAL) ?? []; // an entry of the wrong shape is left out on reading
  let replayed = 0;
  await inOrder(async () => {
    for (const entry of entries) {
      const row = await guideOrStepById(entry.table, entry.id);
      if (row && row.updatedAt >= entry.at) continue; // already saved, or changed since (e.g. by sync)
      await saveRecord(entry.table, entry.id, entry.fields, entry.at);
      replayed += 1;
    }
    if (pending.size === 0) writeStored(GUIDE_EDITOR_JOURNAL, undefined);
  });
  return replayed;
}

let listening = false;
/** Leaving the app (another app, the home button, a reload, closing the tab) writes what is typed at once. */
export function flushWhenHidden(): void {
  if (listening || typeof window === 'undefined') return;
  listening = true;
  window.addEventListener('pagehide', () => inBackground(flush()));
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') inBackground(flush());
  });
}
