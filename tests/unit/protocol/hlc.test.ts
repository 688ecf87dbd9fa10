// The hybrid logical clock: later events always get larger clocks, and the text form sorts like the clocks.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareHlc, createHlc, parseHlc, receiveHlc, serializeHlc, tickHlc, type Hlc } from '../../../src/protocol';

const node = fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/);
const clock = fc.record({ wallMs: fc.integer({ min: 0, max: 4_000_000_000_000 }), counter: fc.integer({ min: 0, max: 0xffff }), node });
const wallTime = fc.integer({ min: 0, max: 4_000_000_000_000 });

describe('hybrid logical clock', () => {
  it('round-trips through its text form', () => {
    fc.assert(
      fc.property(clock, (c) => {
        expect(parseHlc(serializeHlc(c))).toEqual(c);
      }),
    );
  });

  it('sorts as text exactly as it orders as a clock', () => {
    fc.assert(
      fc.property(clock, clock, (a, b) => {
        const byClock = a.wallMs - b.wallMs || a.counter - b.counter || (a.node < b.node ? -1 : a.node > b.node ? 1 : 0);
        expect(Math.sign(compareHlc(serializeHlc(a), serializeHlc(b)))).toBe(Math.sign(byClock));
      }),
    );
  });

  it('never goes backwards on a tablet whose wall clock jumps around', () => {
    fc.assert(
      fc.property(
        node,
        fc.array(
          fc.oneof(
            wallTime.map((now) => ({ now })),
            fc.tuple(clock, wallTime).map(([remote, now]) => ({ now, remote })),
          ),
          { maxLength: 60 },
        ),
        (me, events) => {
          let local: Hlc = createHlc(me);
          for (const event of events) {
            const next = 'remote' in event ? receiveHlc(local, event.remote, event.now) : tickHlc(local, event.now);
            expect(compareHlc(serializeHlc(next), serializeHlc(local))).toBeGreaterThan(0);
            if ('remote' in event) expect(compareHlc(serializeHlc(next), serializeHlc(event.remote))).toBeGreaterThan(0);
            expect(next.node).toBe(me);
            local = next;
          }
        },
      ),
    );
  });

  it('follows the wall clock when it is ahead', () => {
    expect(tickHlc(createHlc('tab'), 1_700_000_000_000)).toEqual({ wallMs: 1_700_000_000_000, counter: 0, node: 'tab' });
    expect(tickHlc({ wallMs: 5, counter: 2, node: 'tab' }, 3)).toEqual({ wallMs: 5, counter: 3, node: 'tab' });
  });

  it('borrows the next millisecond instead of failing when the counter runs out', () => {
    expect(tickHlc({ wallMs: 5, counter: 0xffff, node: 'tab' }, 5)).toEqual({ wallMs: 6, counter: 0, node: 'tab' });
  });

  it('refuses text that is not a clock', () => {
    for (const bad of ['', 'yesterday', '1700000000000-0000-tab', '001700000000000-00000-tab', '001700000000000-0000-', '001700000000000-0000-a b']) {
      expect(parseHlc(bad)).toBeUndefined();
    }
    expect(() => createHlc('has space')).toThrow(/node id/);
  });
});
