// npm run soak: the three-tablet convergence property of convergence.test.ts, ≥ 1,000 random cases (RUNS), printing
// the count and the seed first so any run can be repeated (SEED=…, and PATH_TO_FAILURE=… from a failure's report to
// replay just the shrunk case). Long; not part of npm test.
import fc from 'fast-check';
import { casesArbitrary, runCase } from './convergence-model';

const runs = Number(process.env.RUNS ?? 1000);
const seed = process.env.SEED ? Number(process.env.SEED) : Date.now() ^ (Math.random() * 0x100000000);
const maxSteps = Number(process.env.STEPS ?? 40);
const path = process.env.PATH_TO_FAILURE;
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(seed) || !Number.isInteger(maxSteps) || maxSteps < 5) {
  console.error('RUNS and STEPS must be whole numbers (STEPS at least 5) and SEED an integer.');
  process.exit(2);
}
console.log(`Soak: ${runs} cases of up to ${maxSteps} steps, seed ${seed}${path ? `, path ${path}` : ''}`);
const seen: Record<string, number> = {};
let cases = 0;
const started = Date.now();
try {
  await fc.assert(
    fc.asyncProperty(casesArbitrary(maxSteps), async (steps) => {
      cases += 1;
      if (cases % 100 === 0) console.log(`  ${cases} cases, ${Math.round((Date.now() - started) / 1000)} s`);
      await runCase(steps, { moveWithWaitingChanges: true, seen });
    }),
    { numRuns: runs, seed, ...(path ? { path, endOnFailure: true } : {}) },
  );
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  if (error instanceof Error && error.cause) console.error(error.cause);
  console.error(`Soak FAILED after ${cases} cases. Replay: SEED=${seed} RUNS=${runs} STEPS=${maxSteps} npm run soak`);
  process.exit(1);
}
console.log(`Soak passed: ${cases} cases, seed ${seed}, ${Math.round((Date.now() - started) / 1000)} s`);
for (const [what, count] of Object.entries(seen).sort()) console.log(`  ${what}: ${count}`);
