import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BACKGROUND_LOCK_MS, mode, nextMode, PARTICIPANT, setIdleMinutes, startAutoLock, dispatchMode, type Clock, type Mode } from '../../../src/lock/mode';

const times = { idleMs: 5 * 60_000, backgroundMs: 30_000 };
const unlocked = (at: number): Mode => nextMode(PARTICIPANT, { type: 'unlock', profileId: 'anna', at }, times);

describe('the mode rules', () => {
  it('start in participant mode and unlock for one instructor', () => {
    expect(unlocked(0)).toEqual({ kind: 'instructor', profileId: 'anna', lastActivityAt: 0, hiddenAt: null });
    expect(nextMode(PARTICIPANT, { type: 'activity', at: 1 }, times)).toBe(PARTICIPANT);
  });

  it('lock after the idle minutes with no touch, and every touch starts the minutes again', () => {
    let state = unlocked(0);
    state = nextMode(state, { type: 'tick', at: 4 * 60_000 }, times);
    expect(state.kind).toBe('instructor');
    state = nextMode(state, { type: 'activity', at: 4 * 60_000 }, times);
    state = nextMode(state, { type: 'tick', at: 8 * 60_000 }, times);
    expect(state.kind).toBe('instructor');
    expect(nextMode(state, { type: 'tick', at: 9 * 60_000 }, times)).toBe(PARTICIPANT);
  });

  it('a touch that comes after the idle time has run out does not keep the area open', () => {
    expect(nextMode(unlocked(0), { type: 'activity', at: 5 * 60_000 }, times)).toBe(PARTICIPANT);
  });

  it('lock when the app was in the background longer than the background time, but not after a glance away', () => {
    const hidden = nextMode(unlocked(0), { type: 'hidden', at: 1_000 }, times);
    expect(nextMode(hidden, { type: 'visible', at: 1_000 + BACKGROUND_LOCK_MS - 1 }, times).kind).toBe('instructor');
    expect(nextMode(hidden, { type: 'visible', at: 1_000 + 30_000 }, times)).toBe(PARTICIPANT);
  });

  it('hand to participant locks at once', () => {
    expect(nextMode(unlocked(0), { type: 'handOver' }, times)).toBe(PARTICIPANT);
  });
});

class FakeClock implements Clock {
  time = 1_000_000;
  private timers = new Map<number, { at: number; run: () => void }>();
  private next = 1;
  now = () => this.time;
  setTimeout = (run: () => void, ms: number) => {
    const id = this.next++;
    this.timers.set(id, { at: this.time + ms, run });
    return id;
  };
  clearTimeout = (id: unknown) => void this.timers.delete(id as number);
  advance(ms: number) {
    const end = this.time + ms;
    for (;;) {
      const due = [...this.timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.time = due[1].at;
      due[1].run();
    }
    this.time = end;
  }
}

describe('the auto-lock on the page, with a fake clock', () => {
  let clock: FakeClock;
  let stop: () => void;
  beforeEach(() => {
    clock = new FakeClock();
    setIdleMinutes(1);
    stop = startAutoLock(clock, document);
    dispatchMode({ type: 'unlock', profileId: 'anna', at: clock.now() });
  });
  afterEach(() => {
    stop();
    dispatchMode({ type: 'handOver' });
    setIdleMinutes(5);
  });

  it('locks one idle minute after the last touch', () => {
    clock.advance(50_000);
    document.body.dispatchEvent(new Event('pointerdown', { bubbles: true }));
    clock.advance(50_000);
    expect(mode.get().kind).toBe('instructor');
    clock.advance(10_001);
    expect(mode.get()).toBe(PARTICIPANT);
  });

  it('locks when the tablet comes back after more than 30 seconds in the background', () => {
    const setVisibility = (state: 'hidden' | 'visible') => {
      Object.defineProperty(document, 'visibilityState', { value: state, configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    };
    setVisibility('hidden');
    clock.time += 31_000; // timers do not run while the app is in the background
    setVisibility('visible');
    expect(mode.get()).toBe(PARTICIPANT);
  });

  it('touches do not re-render screens (a re-render mid-keystroke would reset the field being typed in)', () => {
    let notified = 0;
    const unsubscribe = mode.subscribe(() => (notified += 1));
    for (let i = 0; i < 5; i += 1) document.body.dispatchEvent(new Event('input', { bubbles: true }));
    unsubscribe();
    expect(notified).toBe(0);
  });

  it('locks when the page is left (so a page restored from the back-forward cache starts locked)', () => {
    window.dispatchEvent(new Event('pagehide'));
    expect(mode.get()).toBe(PARTICIPANT);
  });
});
