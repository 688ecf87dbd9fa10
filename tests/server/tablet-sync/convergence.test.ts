// The three-tablet property (issue 11, "Proof"): random interleavings of offline edits on three tablets of two sites,
// with wrong dates, lost requests and answers, leaving and enrolling again, backup restores and a server restored
// from an earlier copy, end with every tablet of a site holding what the server holds, each record once and in its
// site, and each tablet's later edit of a field winning over its earlier one. The model is in convergence-model.ts;
// `npm run soak` runs the same property ≥ 1,000 times. Replay a failure: SEED=… PATH_TO_FAILURE=… npx vitest run this file.
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { casesArbitrary, runCase } from './convergence-model';

const RUNS = 100;

it(`random interleavings of offline edits on three tablets converge (${RUNS} cases)`, async () => {
  let cases = 0;
  await fc.assert(
    fc.asyncProperty(casesArbitrary(24), async (steps) => {
      cases += 1;
      await runCase(steps, { moveWithWaitingChanges: true });
    }),
    {
      numRuns: RUNS,
      ...(process.env.SEED ? { seed: Number(process.env.SEED) } : {}),
      ...(process.env.PATH_TO_FAILURE ? { path: process.env.PATH_TO_FAILURE, endOnFailure: true } : {}),
    },
  );
  expect(cases).toBeGreaterThanOrEqual(RUNS);
}, 600_000);
