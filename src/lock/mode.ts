// Owns who the tablet is working for right now: a participant (the default, after every start and reload) or one
// unlocked instructor. The rules are one pure function over events with explicit times, so tests can drive them
// with a fake clock; the small runtime below feeds it the page's real activity, visibility and timers.
import { instructorPresent } from './instructor-present';
import { createObservable } from '../lib/observable';
import { forgetDataKey } from './data-key';

export type Mode = { kind: 'participant' } | { kind: 'instructor'; profileId: string; lastActivityAt: number; hiddenAt: number | null };

export type ModeEvent =
  | { type: 'unlock'; profileId: string; at: number }
  | { type: 'activity'; at: number }
  | { type: 'tick'; at: number }
  | { type: 'hidden'; at: number }
  | { type: 'visible'; at: number }
  | { type: 'handOver' };

export interface LockTimes {
  idleMs: number;
  backgroundMs: number;
}

export const PARTICIPANT: Mode = { kind: 'participant' };
export const DEFAULT_IDLE_MINUTES = 5;
export const IDLE_CHOICES = [1, 2, 5, 10, 15] as const;
/** Longer than a glance at another app, shorter than leaving the tablet on the table. */
export const BACKGROUND_LOCK_MS = 30_000;

export function nextMode(mode: Mode, event: ModeEvent, times: LockTimes): Mode {
  if (event.type === 'handOver') return PARTICIPANT;
  if (event.type === 'unlock') return { kind: 'instructor', profileId: event.profileId, lastActivityAt: event.at, hiddenAt: null };
  if (mode.kind === 'participant') return mode;
  switch (event.type) {
    case 'activity':
      if (mode.hiddenAt !== null) return mode; // no touches reach a hidden page; ignore stray events
      if (event.at - mode.lastActivityAt >= times.idleMs) return PARTICIPANT; // the timer was late: still locks
      return { ...mode, lastActivityAt: Math.max(mode.lastActivityAt, event.at) };
    case 'tick':
      return event.at - mode.lastActivityAt >= times.idleMs ? PARTICIPANT : mode;
    case 'hidden':
      return mode.hiddenAt === null ? { ...mode, hiddenAt: event.at } : mode;
    case 'visible':
      if (mode.hiddenAt === null) return mode;
      if (event.at - mode.hiddenAt >= times.backgroundMs) return PARTICIPANT;
      if (event.at - mode.lastActivityAt >= times.idleMs) return PARTICIPANT;
      return { ...mode, hiddenAt: null };
  }
}

/** When the idle lock falls due, or undefined in participant mode. */
export function idleDeadline(mode: Mode, times: LockTimes): number | undefined {
  return mode.kind === 'instructor' ? mode.lastActivityAt + times.idleMs : undefined;
}

/**
 * The tablet's mode for screens. Kept in memory only: a reload or a new start is always participant mode.
 * It changes only when the mode or the instructor changes, not on every touch: a re-render in the middle of a
 * keystroke would reset the text field being typed in. The full state with its times is kept beside it.
 */
export const mode = createObservable<Mode>(PARTICIPANT);
let state: Mode = PARTICIPANT;

let times: LockTimes = { idleMs: DEFAULT_IDLE_MINUTES * 60_000, backgroundMs: BACKGROUND_LOCK_MS };

let reschedule: (() => void) | undefined;

/** A new idle setting counts from now on: the running timer is set again. */
export function setIdleMinutes(minutes: number): void {
  times = { ...times, idleMs: minutes * 60_000 };
  reschedule?.();
}

export function dispatchMode(event: ModeEvent): void {
  const before = state;
  state = nextMode(state, event, times);
  // Locking forgets the notes' data key; only a PIN brings it back (data-key.ts).
  if (state.kind === 'participant' && (before.kind === 'instructor' || event.type === 'handOver')) forgetDataKey();
  const sameOwner = before.kind === state.kind && (before.kind === 'participant' || (state.kind === 'instructor' && before.profileId === state.profileId));
  if (!sameOwner) mode.set(state);
  instructorPresent.set(state.kind !== 'participant');
}

/** Locks at once (hand to participant, wipe). */
export function lockNow(): void {
  dispatchMode({ type: 'handOver' });
}

/** The unlocked instructor's profile id, for features that record who did something; undefined when locked. */
export function currentInstructorId(): string | undefined {
  const current = state;
  return current.kind === 'instructor' ? current.profileId : undefined;
}

export interface Clock {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const browserClock: Clock = {
  now: () => Date.now(),
  setTimeout: (run, ms) => window.setTimeout(run, ms),
  clearTimeout: (handle) => window.clearTimeout(handle as number),
};

const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'input', 'wheel'] as const;

/**
 * Watches touches, keys, visibility and the idle timer and feeds them to the mode. Returns a stop function.
 * Started once by the PIN gate; calling it again replaces the earlier watcher.
 */
let stopWatching: (() => void) | undefined;
export function startAutoLock(clock: Clock = browserClock, target: Document = document): () => void {
  stopWatching?.();
  let timer: unknown;
  const schedule = () => {
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
    const due = idleDeadline(state, times);
    if (due === undefined) return;
    timer = clock.setTimeout(
      () => {
        timer = undefined;
        dispatchMode({ type: 'tick', at: clock.now() });
        schedule();
      },
      Math.max(0, due - clock.now()),
    );
  };
  const onActivity = () => {
    if (state.kind === 'participant') return;
    dispatchMode({ type: 'activity', at: clock.now() });
    schedule();
  };
  const onVisibility = () => {
    dispatchMode({ type: target.visibilityState === 'hidden' ? 'hidden' : 'visible', at: clock.now() });
    schedule();
  };
  // Leaving the page (or being frozen into the back-forward cache) locks: a restored page starts locked.
  const onPageHide = () => lockNow();
  const view = target.defaultView;
  for (const name of ACTIVITY_EVENTS) target.addEventListener(name, onActivity, { capture: true, passive: true });
  target.addEventListener('visibilitychange', onVisibility);
  view?.addEventListener('pagehide', onPageHide);
  const unsubscribe = mode.subscribe(() => schedule());
  schedule();
  reschedule = schedule;
  stopWatching = () => {
    reschedule = undefined;
    for (const name of ACTIVITY_EVENTS) target.removeEventListener(name, onActivity, { capture: true });
    target.removeEventListener('visibilitychange', onVisibility);
    view?.removeEventListener('pagehide', onPageHide);
    unsubscribe();
    if (timer !== undefined) clock.clearTimeout(timer);
    stopWatching = undefined;
  };
  return stopWatching;
}
