// Owns the hybrid logical clock: one timestamp per change that orders edits across tablets with imperfect clocks.
//
// String form: 15-digit wall-clock milliseconds, '-', 4 hex digits of counter, '-', node id.
// Fixed widths make plain string comparison the same as clock order, so HLCs can be indexed and sorted as text.

export interface Hlc {
  /** Wall-clock milliseconds since the epoch (the largest seen so far, not necessarily now). */
  wallMs: number;
  /** Orders events within the same millisecond. */
  counter: number;
  /** Who made the event: the device id, or "server". Breaks ties so two devices never produce the same clock. */
  node: string;
}

const WALL_DIGITS = 15;
const COUNTER_DIGITS = 4;
const MAX_COUNTER = 0xffff;
const MAX_WALL_MS = 10 ** WALL_DIGITS - 1;
const NODE_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const HLC_PATTERN = /^\d{15}-[0-9a-f]{4}-[A-Za-z0-9_-]{1,64}$/;

/** The clock of a node that has seen nothing yet. */
export function createHlc(node: string): Hlc {
  if (!NODE_PATTERN.test(node)) throw new Error(`An HLC node id must be 1–64 letters, digits, "-" or "_", not "${node}".`);
  return { wallMs: 0, counter: 0, node };
}

/** Next clock for a local change at wall time `now`: always greater than `local`. */
export function tickHlc(local: Hlc, now: number): Hlc {
  const wallMs = Math.max(local.wallMs, Math.floor(now));
  return normalise({ wallMs, counter: wallMs === local.wallMs ? local.counter + 1 : 0, node: local.node });
}

/** Next local clock after seeing `remote`: greater than both, so later local edits win over what was seen. */
export function receiveHlc(local: Hlc, remote: Hlc, now: number): Hlc {
  const wallMs = Math.max(local.wallMs, remote.wallMs, Math.floor(now));
  let counter = 0;
  if (wallMs === local.wallMs && wallMs === remote.wallMs) counter = Math.max(local.counter, remote.counter) + 1;
  else if (wallMs === local.wallMs) counter = local.counter + 1;
  else if (wallMs === remote.wallMs) counter = remote.counter + 1;
  return normalise({ wallMs, counter, node: local.node });
}

/** The smallest clock after `clock` (same millisecond, next counter), written by `node`. */
export function successorHlc(clock: Hlc, node = clock.node): Hlc {
  return normalise({ wallMs: clock.wallMs, counter: clock.counter + 1, node });
}

// A counter overflow borrows the next millisecond instead of failing a write on the tablet.
function normalise(clock: Hlc): Hlc {
  if (clock.counter <= MAX_COUNTER) return clock;
  return { wallMs: clock.wallMs + 1, counter: 0, node: clock.node };
}

export function serializeHlc(clock: Hlc): string {
  if (!Number.isInteger(clock.wallMs) || clock.wallMs < 0 || clock.wallMs > MAX_WALL_MS) throw new Error(`HLC wall time out of range: ${clock.wallMs}`);
  return `${String(clock.wallMs).padStart(WALL_DIGITS, '0')}-${clock.counter.toString(16).padStart(COUNTER_DIGITS, '0')}-${clock.node}`;
}

/** Parses the string form; undefined when it is not a valid HLC. */
export function parseHlc(text: string): Hlc | undefined {
  if (typeof text !== 'string' || !HLC_PATTERN.test(text)) return undefined;
  return {
    wallMs: Number(text.slice(0, WALL_DIGITS)),
    counter: parseInt(text.slice(WALL_DIGITS + 1, WALL_DIGITS + 1 + COUNTER_DIGITS), 16),
    node: text.slice(WALL_DIGITS + COUNTER_DIGITS + 2),
  };
}

export function isHlc(text: unknown): text is string {
  return typeof text === 'string' && HLC_PATTERN.test(text);
}

/** Orders two serialized clocks: negative, zero or positive like a sort comparator. */
export function compareHlc(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The later of two serialized clocks. */
export function maxHlc(a: string, b: string): string {
  return a >= b ? a : b;
}
