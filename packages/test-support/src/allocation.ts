// Objects allocated per call, from JSC's heap statistics (Bun only: this subpath imports `bun:jsc`): per-type
// object-count deltas over `calls` calls with no collection in between (a sample during which the heap shrank is
// retried), minus the same loop around an empty function. Used by the allocation tests and benchmarks of the audio
// package and the channel.
import { heapStats } from "bun:jsc";

/** JSC-internal cells the JIT and heapStats() itself create (shapes, code blocks), not allocations by the code. */
const VM_METADATA = /^(Structure|SymbolTable|PropertyTable|.*CodeBlock|.*Executable)$/;

function sample(run: () => unknown, calls: number): Record<string, number> {
  for (let attempt = 0; attempt < 8; attempt++) {
    Bun.gc(true);
    const before = heapStats();
    for (let i = 0; i < calls; i++) run();
    const after = heapStats();
    if (after.heapSize < before.heapSize) continue;
    let shrank = false;
    const delta: Record<string, number> = {};
    for (const [type, count] of Object.entries(after.objectTypeCounts)) {
      const change = count - (before.objectTypeCounts[type] ?? 0);
      delta[type] = change / calls;
    }
    for (const [type, count] of Object.entries(before.objectTypeCounts)) {
      if ((after.objectTypeCounts[type] ?? 0) < count - 16 && !VM_METADATA.test(type)) shrank = true;
    }
    if (!shrank) return delta;
  }
  throw new Error("a garbage collection ran during every allocation sample");
}

/** Objects (by JSC type) that `run` allocates per call, after warming it up; types under 0.05 per call omitted. */
export function objectsPerCall(run: () => unknown, calls = 2000): Record<string, number> {
  for (let i = 0; i < 2000; i++) run();
  const baseline = sample(() => undefined, calls);
  const measured = sample(run, calls);
  const extra: Record<string, number> = {};
  for (const [type, perCall] of Object.entries(measured)) {
    if (VM_METADATA.test(type)) continue;
    const value = perCall - (baseline[type] ?? 0);
    if (value > 0.05) extra[type] = Math.round(value * 100) / 100;
  }
  return extra;
}

/** The sum of `objectsPerCall`. */
export function totalObjectsPerCall(run: () => unknown, calls = 2000): number {
  const total = Object.values(objectsPerCall(run, calls)).reduce((sum, value) => sum + value, 0);
  return Math.round(total * 100) / 100;
}
