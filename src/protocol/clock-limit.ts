// Owns the rule for clocks that run ahead of the server's: what the server keeps instead, and what a tablet does with
// the answer, so that a tablet with a wrong date neither wins every later edit nor reorders its own edits.
//
// Server: a clock more than LIMITS.clockDriftMs ahead of server time is replaced by the later of "server time" and
// "just after the last clock this device had accepted". Clocks that are not ahead are kept as sent.
// A change sent again (from a backup restored on another tablet, or renumbered) is kept at the clocks the server kept
// it at the first time: a clamped clock, once replaced, never comes back as it was sent.
// Tablet: after a push, its clock is no further ahead than the server allows (but never behind the largest clock the
// server has kept for it), waiting changes above that clock are stamped again, and later changes tick with the server's time.
import { compareHlc, isHlc, maxHlc, parseHlc, serializeHlc, successorHlc, tickHlc, type Hlc } from './hlc';
import { LIMITS } from './version';

export interface AcceptedClock {
  /** The clock the server keeps for the mutation. */
  hlc: string;
  /** True when it differs from the clock that was sent. */
  clamped: boolean;
}

/**
 * The clock a mutation is kept at. `deviceLast` is the largest clock the server has kept for this device ('' for
 * none): a replacement always comes after it, so a device's later edit never loses to its own earlier one.
 */
export function acceptedClock(sent: string, serverNow: number, deviceLast: string): AcceptedClock {
  const parsed = parseHlc(sent);
  if (!parsed || parsed.wallMs <= serverNow + LIMITS.clockDriftMs) return { hlc: sent, clamped: false };
  const atServerTime = serializeHlc({ wallMs: Math.floor(serverNow), counter: 0, node: parsed.node });
  const last = deviceLast ? parseHlc(deviceLast) : undefined;
  const afterLast = last ? serializeHlc(successorHlc(last, parsed.node)) : '';
  return { hlc: maxHlc(atServerTime, afterLast), clamped: true };
}

/** A change's clocks: `hlc`, and the fields written before it with their own clocks (the mutation's `fieldClocks`). */
export interface ChangeClocks {
  hlc: string;
  earlier?: Record<string, string>;
}

/**
 * The clocks a change is kept at when the server may have kept some of its clocks before at other ones (`kept`: a
 * clock as it was sent → the clock kept instead). Each remembered clock is replaced; a field is never after the change's
 * clock; a field at the change's clock is not named. `changed` says whether anything was replaced.
 */
export function keptAgain(sent: ChangeClocks, kept: (clock: string) => string | undefined): ChangeClocks & { changed: boolean } {
  const hlc = kept(sent.hlc) ?? sent.hlc;
  let changed = hlc !== sent.hlc;
  const earlier: Record<string, string> = {};
  for (const [name, clock] of Object.entries(sent.earlier ?? {})) {
    const again = kept(clock);
    if (again !== undefined && again !== clock) changed = true;
    const at = again ?? clock;
    if (compareHlc(at, hlc) < 0) earlier[name] = at;
  }
  return Object.keys(earlier).length ? { hlc, earlier, changed } : { hlc, changed };
}

/** The latest clock a tablet may keep after a sync: the server's time plus the allowed drift, as a clock of `node`. */
export function latestAllowedClock(serverTime: number, node: string): string {
  return serializeHlc({ wallMs: Math.floor(serverTime) + LIMITS.clockDriftMs, counter: 0, node });
}

/**
 * A tablet's clock after a push answer: no later than the server allows, but never before `deviceLast`, the largest
 * clock the server has kept for this device (the push answer's `lastHlc`), so its next change still comes after
 * everything it has sent. The tablet's own node stays: its next tick comes after `deviceLast` whatever node it has.
 */
export function settledClock(local: Hlc, deviceLast: string, serverTime: number): Hlc {
  let settled = serializeHlc(local);
  const cap = latestAllowedClock(serverTime, local.node);
  if (compareHlc(settled, cap) > 0) settled = cap;
  if (isHlc(deviceLast)) settled = maxHlc(settled, deviceLast);
  const parsed = parseHlc(settled)!;
  return { wallMs: parsed.wallMs, counter: parsed.counter, node: local.node };
}

/**
 * Clocks for the changes still waiting after a push, in outbox order: a change whose clock is above the settled
 * clock gets a fresh tick (so it still comes after everything sent, and in the same order); the others keep theirs.
 * Returns the clock to store.
 */
export function restampWaiting(waiting: readonly string[], settled: Hlc, now: number): { clocks: string[]; clock: Hlc } {
  const limit = serializeHlc(settled);
  let clock = settled;
  const clocks = waiting.map((current) => {
    if (compareHlc(current, limit) <= 0) return current;
    clock = tickHlc(clock, now);
    return serializeHlc(clock);
  });
  return { clocks, clock };
}

/**
 * How far the tablet's date is from the server's, to correct the clock it stamps changes with: 0 while the
 * difference is within the allowed drift (a few seconds off is normal and not worth correcting).
 */
export function clockOffset(serverTime: number, localNow: number): number {
  const difference = Math.round(serverTime - localNow);
  return Math.abs(difference) > LIMITS.clockDriftMs ? difference : 0;
}
