// Owns the ids a tablet gives the records it makes (logs, feedback, its organisation's guides and steps): UUID version
// 7 (RFC 9562), 48 bits of the time it was made in ms and 74 random bits. Ids made later sort after ids made before,
// so a store's primary-key index takes a push's new records near its end: random ids (version 4) put each of a push's
// 500 logs on its own index page, and the server wrote all those pages at every commit (issue 16). The time in an id
// is the time the record was made, which the record holds anyway (a log's start, feedback's createdAt).

/** Ids past this time (the year 10889) cannot be written in 48 bits: the tablet's clock is wrong. */
const LAST_MS = 2 ** 48 - 1;

/** A UUID version 7 for a record made at `now` (ms); `random`: ten random bytes (crypto's, unless a test gives them). */
export function timeOrderedId(now: number = Date.now(), random: Uint8Array = crypto.getRandomValues(new Uint8Array(10))): string {
  const ms = Math.min(Math.max(Math.floor(Number.isFinite(now) ? now : 0), 0), LAST_MS);
  const hex = (byte: number) => byte.toString(16).padStart(2, '0');
  const time = ms.toString(16).padStart(12, '0');
  const versioned = `7${(random[0]! & 0x0f).toString(16)}${hex(random[1]!)}`;
  const variant = `${hex(0x80 | (random[2]! & 0x3f))}${hex(random[3]!)}`;
  const rest = Array.from(random.subarray(4, 10), hex).join('');
  return `${time.slice(0, 8)}-${time.slice(8)}-${versioned}-${variant}-${rest}`;
}
