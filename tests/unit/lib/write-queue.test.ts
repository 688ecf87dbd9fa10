import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { writeQueue } from '../../../src/lib/write-queue';

describe('the write queue', () => {
  it('starts writes in the order they were queued, one at a time, each caller getting its own result or failure', async () => {
    const plan = fc.array(fc.record({ fails: fc.boolean(), queuedLater: fc.boolean(), steps: fc.integer({ min: 0, max: 3 }) }), { maxLength: 12 });
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), plan, async (s, writes) => {
        const inOrder = writeQueue();
        const queued: number[] = [];
        const log: string[] = [];
        const outcomes = new Map<number, string>();
        const queue = (index: number) => {
          const { fails, steps } = writes[index]!;
          queued.push(index);
          const outcome = inOrder(async () => {
            log.push(`start ${index}`);
            for (let step = 0; step < steps; step += 1) await s.schedule(Promise.resolve()); // the scheduler decides when each part finishes
            log.push(`end ${index}`);
            if (fails) throw new Error(`write ${index}`);
            return index;
          });
          outcome.then(
            (value) => outcomes.set(index, `done ${value}`),
            (error: Error) => outcomes.set(index, `failed ${error.message}`),
          );
        };
        // Some writes are queued at once, others at a moment the scheduler picks, while earlier ones still run.
        writes.forEach((write, index) => {
          // fast-check's scheduler settles this promise itself (s.waitOne below); a failed write is recorded by queue().
          if (write.queuedLater) void s.schedule(Promise.resolve()).then(() => queue(index));
          else queue(index);
        });
        // Until every write has settled: let the queue move (a macrotask drains its microtasks), then finish one part.
        while (outcomes.size < writes.length) {
          await new Promise((resolve) => setTimeout(resolve, 0));
          if (s.count() > 0) await s.waitOne();
        }

        expect(queued.length).toBe(writes.length);
        expect(log).toEqual(queued.flatMap((index) => [`start ${index}`, `end ${index}`])); // in queue order, never overlapping
        for (const [index, write] of writes.entries()) expect(outcomes.get(index)).toBe(write.fails ? `failed write ${index}` : `done ${index}`);
      }),
    );
  });

  it('keeps separate queues apart: a slow write of one does not hold up another', async () => {
    const first = writeQueue();
    const second = writeQueue();
    let release = () => {};
    const slow = first(() => new Promise<string>((resolve) => (release = () => resolve('slow'))));
    expect(await second(async () => 'quick')).toBe('quick');
    release();
    expect(await slow).toBe('slow');
  });
});
