import { expect, test } from "bun:test";
import { fuzzTarget } from "./engine.ts";
import { FUZZ_TARGETS } from "./targets/index.ts";

// The short fuzz run CI does: each target with both engines, a fixed seed, at most 3000 inputs or ~1.5 s each.
// Any crash (an untyped throw), bound violation or heap growth fails the test. No timed assertion here (the machine
// is shared): the hang bound is 5 s per input, which only a pathological (super-linear) input reaches; the 100 ms
// per-input budget of the issue is checked by `bun scripts/fuzz/run.ts` (short or --long) and reported.
for (const [name, create] of Object.entries(FUZZ_TARGETS)) {
  for (const engine of ["hand", "fast-check"] as const) {
    test(`fuzz ${name} (${engine}): no crash, hang or growth`, async () => {
      const report = await fuzzTarget(create(), { engine, seed: 19, maxInputs: 3000, maxMs: 1500, hangMs: 5000 });
      expect(report.inputs).toBeGreaterThan(0);
      expect(report.findings).toEqual([]);
    }, 30_000);
  }
}
