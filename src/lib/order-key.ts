// Fractional order keys: a string between any two keys, so moving one step rewrites one row, not the whole guide.
// Keys use digits 0-9A-Za-z (ASCII order) and never end in '0', so there is always room between two keys.
// compareOrder is the one order of keyed rows, for the tablet's editor and the server's console preview alike.

const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BASE = DIGITS.length;

function digit(key: string, index: number, fallback: number): number {
  return index < key.length ? DIGITS.indexOf(key[index]!) : fallback;
}

export interface Ordered {
  id: string;
  orderKey: string;
}

/**
 * The order the tablet's database reads steps in: by key as code units ('V' before 'a', never a locale's order),
 * equal keys by id (IndexedDB orders an index by primary key).
 */
export function compareOrder(a: Ordered, b: Ordered): number {
  if (a.orderKey !== b.orderKey) return a.orderKey < b.orderKey ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function isOrderKey(key: string): boolean {
  return key.length > 0 && key.length <= 200 && [...key].every((c) => DIGITS.includes(c)) && !key.endsWith('0');
}

/**
 * A key strictly between `before` and `after` (either may be null for the start or the end).
 * Throws when `before` is not less than `after`: callers pass neighbours in order.
 */
export function keyBetween(before: string | null, after: string | null): string {
  if (before !== null && after !== null && before >= after) throw new Error(`Order keys out of order: "${before}" >= "${after}"`);
  // Moving to the start or end is the common edit: step by one digit there, so keys grow slowly.
  const toStart = before === null && after !== null;
  const toEnd = after === null && before !== null;
  let result = '';
  for (let i = 0; ; i += 1) {
    const low = before === null ? 0 : digit(before, i, 0);
    const high = after === null ? BASE : digit(after, i, BASE);
    if (high - low > 1) {
      if (toStart) return result + DIGITS[high - 1];
      if (toEnd) return result + DIGITS[low + 1];
      return result + DIGITS[(low + high) >> 1];
    }
    // No room at this position: copy the lower digit and look one position further.
    result += DIGITS[low];
    if (high - low === 1) {
      // From here on only `before` constrains us; the upper bound is open.
      after = null;
    }
  }
}

/** `count` keys in order, evenly spread, for a new list (e.g. a built-in guide's steps). */
export function keysFor(count: number): string[] {
  const keys: string[] = [];
  let previous: string | null = null;
  for (let i = 0; i < count; i += 1) {
    previous = keyBetween(previous, null);
    keys.push(previous);
  }
  return keys;
}
