// The rule for clocks ahead of the server's, as a model of one tablet and the server: whatever the tablet's date does,
// each of its edits is kept at a clock after its earlier ones, and after a sync its clock is not far ahead any more.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  LIMITS,
  acceptedClock,
  clockOffset,
  compareHlc,
  keptAgain,
  maxHlc,
  parseHlc,
  restampWaiting,
  serializeHlc,
  settledClock,
  tickHlc,
  type Hlc,
} from '../../../src/protocol';

const T0 = 1_767_000_000_000;
const MINUTE = 60_000;
const DRIFT = LIMITS.clockDriftMs;
const hlc = (wallMs: number, counter = 0, node = 'tab') => serializeHlc({ wallMs, counter, node });

describe('what the server keeps for a clock ahead of its own', () => {
  it('keeps a clock within the drift as sent, and replaces one beyond it', () => {
    expect(acceptedClock(hlc(T0 + DRIFT), T0, '')).toEqual({ hlc: hlc(T0 + DRIFT), clamped: false });
    expect(acceptedClock(hlc(T0 + DRIFT + 1), T0, '')).toEqual({ hlc: hlc(T0), clamped: true });
  });

  it("puts a replacement just after the device's last kept clock when that is later than server time", () => {
    expect(acceptedClock(hlc(T0 + 5 * MINUTE), T0, hlc(T0 + 30_000, 7, 'tab'))).toEqual({ hlc: hlc(T0 + 30_000, 8), clamped: true });
    // the counter running out borrows the next millisecond, as a tick does
    expect(acceptedClock(hlc(T0 + 5 * MINUTE), T0, hlc(T0 + 30_000, 0xffff))).toEqual({ hlc: hlc(T0 + 30_001, 0), clamped: true });
    // another node's last clock (a restored backup's change) still orders: the counter decides before the node
    expect(compareHlc(acceptedClock(hlc(T0 + 5 * MINUTE, 0, 'a'), T0, hlc(T0 + 1000, 3, 'zz')).hlc, hlc(T0 + 1000, 3, 'zz'))).toBeGreaterThan(0);
  });

  it('orders every clock a device sends in ascending order, however far ahead, and keeps replacements near server time', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ step: fc.integer({ min: 0, max: 20 * MINUTE }), wait: fc.integer({ min: 0, max: 2 * MINUTE }) }), { minLength: 1, maxLength: 40 }),
        (sends) => {
          let sent: Hlc = { wallMs: T0 - MINUTE, counter: 0, node: 'tab' };
          let serverNow = T0;
          let last = '';
          for (const { step, wait } of sends) {
            sent = tickHlc(sent, sent.wallMs + step);
            serverNow += wait;
            const kept = acceptedClock(serializeHlc(sent), serverNow, last);
            if (last) expect(compareHlc(kept.hlc, last)).toBeGreaterThan(0);
            if (!kept.clamped) expect(kept.hlc).toBe(serializeHlc(sent));
            expect(parseHlc(kept.hlc)!.wallMs).toBeLessThanOrEqual(serverNow + DRIFT);
            last = kept.hlc;
          }
        },
      ),
    );
  });
});

describe('one tablet with a wrong date and the server, over many syncs', () => {
  type Event = { kind: 'time'; ms: number } | { kind: 'date'; skewMs: number } | { kind: 'edit' } | { kind: 'push'; count: number; answerLost: boolean };
  const event: fc.Arbitrary<Event> = fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min: 0, max: 5 * MINUTE }).map((ms) => ({ kind: 'time' as const, ms })) },
    { weight: 1, arbitrary: fc.integer({ min: -10 * MINUTE, max: 10 * MINUTE }).map((skewMs) => ({ kind: 'date' as const, skewMs })) },
    { weight: 1, arbitrary: fc.constantFrom(-86_400_000, 86_400_000).map((skewMs) => ({ kind: 'date' as const, skewMs })) },
    { weight: 5, arbitrary: fc.constant({ kind: 'edit' as const }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('push' as const), count: fc.integer({ min: 1, max: 4 }), answerLost: fc.boolean() }) },
  );

  it("keeps each edit after the tablet's earlier ones, caps the clock at every sync, and stops clamping once the date is known", () => {
    fc.assert(
      fc.property(fc.integer({ min: -10 * MINUTE, max: 10 * MINUTE }), fc.array(event, { maxLength: 80 }), (startSkew, events) => {
        let serverNow = T0;
        let skew = startSkew;
        let offset = 0;
        let clock: Hlc = { wallMs: 0, counter: 0, node: 'tab' };
        let deviceLast = '';
        let dateChangedSinceSync = true;
        const waiting: { edit: number; hlc: string; afterSync: boolean }[] = [];
        const kept: string[] = []; // by edit number, in the order edits were made
        let edits = 0;
        for (const e of events) {
          if (e.kind === 'time') serverNow += e.ms;
          else if (e.kind === 'date') {
            skew = e.skewMs;
            dateChangedSinceSync = true;
          } else if (e.kind === 'edit') {
            clock = tickHlc(clock, serverNow + skew + offset);
            waiting.push({ edit: edits, hlc: serializeHlc(clock), afterSync: !dateChangedSinceSync });
            edits += 1;
          } else {
            const batch = waiting.slice(0, e.count);
            for (const entry of batch) {
              if (kept[entry.edit]) continue; // sent before, answer lost: the server ignores it
              const accepted = acceptedClock(entry.hlc, serverNow, deviceLast);
              if (accepted.clamped) {
                // a tablet whose date has not changed since its last sync makes no clock the server must replace
                expect(entry.afterSync, `edit ${entry.edit} was clamped`).toBe(false);
              }
              if (!deviceLast || compareHlc(accepted.hlc, deviceLast) > 0) deviceLast = accepted.hlc;
              kept[entry.edit] = accepted.hlc;
            }
            if (e.answerLost) continue; // the tablet heard nothing: it sends the same again later
            waiting.splice(0, batch.length);
            const localNow = serverNow + skew;
            offset = clockOffset(serverNow, localNow);
            const restamped = restampWaiting(
              waiting.map((entry) => entry.hlc),
              settledClock(clock, deviceLast, serverNow),
              localNow + offset,
            );
            waiting.forEach((entry, index) => {
              entry.hlc = restamped.clocks[index]!;
            });
            clock = restamped.clock;
            dateChangedSinceSync = false;
            // nothing on the tablet is more than the allowed drift ahead of the server any more
            expect(clock.wallMs).toBeLessThanOrEqual(serverNow + DRIFT);
            for (const entry of waiting) expect(parseHlc(entry.hlc)!.wallMs).toBeLessThanOrEqual(serverNow + DRIFT);
          }
        }
        const pushed = kept.filter(Boolean);
        expect(pushed).toEqual(kept.slice(0, pushed.length)); // edits are pushed in order
        for (let i = 1; i < pushed.length; i += 1) expect(compareHlc(pushed[i]!, pushed[i - 1]!), `edit ${i} after edit ${i - 1}`).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });
});

describe('a change sent again, from a backup restored on another tablet', () => {
  it('is kept at the clocks the server kept it at before, field by field, never a field after the change', () => {
    const memory = new Map([
      [hlc(T0 + 5 * MINUTE), hlc(T0, 1)],
      [hlc(T0 + 6 * MINUTE), hlc(T0, 2)],
    ]);
    const kept = (clock: string) => memory.get(clock);
    expect(keptAgain({ hlc: hlc(T0 + DRIFT) }, kept)).toEqual({ hlc: hlc(T0 + DRIFT), changed: false });
    // A merged change: its earlier field was clamped the first time, the change itself never was.
    expect(keptAgain({ hlc: hlc(T0 + 86_400_000), earlier: { format: hlc(T0 + 5 * MINUTE) } }, kept)).toEqual({
      hlc: hlc(T0 + 86_400_000),
      earlier: { format: hlc(T0, 1) },
      changed: true,
    });
    // The change itself was clamped to a clock before one of its fields: that field comes down to the change's clock.
    expect(keptAgain({ hlc: hlc(T0 + 5 * MINUTE), earlier: { format: hlc(T0 + 4 * MINUTE), status: hlc(T0 - MINUTE) } }, kept)).toEqual({
      hlc: hlc(T0, 1),
      earlier: { status: hlc(T0 - MINUTE) },
      changed: true,
    });
  });

  it("never beats the tablet's own later edit, however much later it comes and whoever sends it (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ step: fc.integer({ min: 0, max: 20 * MINUTE }), wait: fc.integer({ min: 0, max: 2 * MINUTE }) }), { minLength: 2, maxLength: 30 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 10 }),
        fc.integer({ min: 0, max: 86_400_000 }),
        (sends, resends, delay) => {
          // The server: what it kept clamped changes at, and the tablet's last kept clock.
          const memory = new Map<string, string>();
          const keep = (sent: string, serverNow: number, deviceLast: string) => {
            const again = keptAgain({ hlc: sent }, (clock) => memory.get(clock));
            if (again.changed) return again.hlc;
            const accepted = acceptedClock(sent, serverNow, deviceLast);
            if (accepted.clamped) memory.set(sent, accepted.hlc);
            return accepted.hlc;
          };
          let clock: Hlc = { wallMs: T0 - MINUTE, counter: 0, node: 'tab' };
          let serverNow = T0;
          let last = '';
          const sent: string[] = [];
          let newest = '';
          for (const { step, wait } of sends) {
            clock = tickHlc(clock, clock.wallMs + step);
            serverNow += wait;
            sent.push(serializeHlc(clock));
            newest = keep(sent.at(-1)!, serverNow, last);
            last = maxHlc(last, newest);
          }
          // Another tablet sends copies of the earlier edits later, with its own last clock.
          serverNow += delay;
          let other = '';
          for (const pick of resends) {
            const again = keep(sent[pick % (sent.length - 1)]!, serverNow, other);
            other = maxHlc(other, again);
            expect(compareHlc(again, newest)).toBeLessThan(0);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
