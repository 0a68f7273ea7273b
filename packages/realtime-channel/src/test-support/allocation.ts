// Objects allocated per call, read from JavaScriptCore's heap statistics (Bun only; not shipped). For each JSC object
// type, the count after `calls` calls minus the count before, with no collection in between (a sample during which
// any type's count fell is taken again), minus the same loop around an empty function.
// The same method as the audio package's allocation test; both could move to the shared test-support package.
import { heapStats } from "bun:jsc";

/** Cells the JIT and heapStats() create themselves (shapes, code), not allocations by the measured code. */
const ENGINE_CELLS = /^(Structure|SymbolTable|PropertyTable|.*CodeBlock|.*Executable)$/;

function countDeltas(run: () => unknown, calls: number): Record<string, number> {
  for (let attempt = 0; attempt < 8; attempt++) {
    Bun.gc(true);
    const before = heapStats().objectTypeCounts;
    for (let call = 0; call < calls; call++) run();
    const after = heapStats().objectTypeCounts;
    let collected = false;
    for (const [type, count] of Object.entries(before)) {
      if ((after[type] ?? 0) < count - 16 && !ENGINE_CELLS.test(type)) collected = true;
    }
    if (collected) continue;
    const perCall: Record<string, number> = {};
    for (const [type, count] of Object.entries(after)) perCall[type] = (count - (before[type] ?? 0)) / calls;
    return perCall;
  }
  throw new Error("a garbage collection ran during every allocation sample");
}

/** Objects per call by JSC type (types under 0.05 per call left out), after `calls` warm-up calls. */
export function allocationsPerCall(run: () => unknown, calls = 2000): Record<string, number> {
  for (let call = 0; call < calls; call++) run();
  const empty = countDeltas(() => undefined, calls);
  const measured = countDeltas(run, calls);
  const result: Record<string, number> = {};
  for (const [type, perCall] of Object.entries(measured)) {
    if (ENGINE_CELLS.test(type)) continue;
    const extra = perCall - (empty[type] ?? 0);
    if (extra > 0.05) result[type] = Math.round(extra * 100) / 100;
  }
  return result;
}

/** The total of `allocationsPerCall`. */
export function totalAllocationsPerCall(run: () => unknown, calls = 2000): number {
  let total = 0;
  for (const value of Object.values(allocationsPerCall(run, calls))) total += value;
  return Math.round(total * 100) / 100;
}
