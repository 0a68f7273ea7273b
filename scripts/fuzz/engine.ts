import fc from "fast-check";
import { Random } from "./random.ts";

/** What one fuzz target provides. */
export interface FuzzTarget<Input> {
  name: string;
  /** Sets the target up (sockets, sessions, stores). Called once per run. */
  setup(): Promise<void>;
  /** Feeds one input. Must return (or resolve) without throwing unless the error is expected. */
  run(input: Input): void | Promise<void>;
  /** Errors that are a handled outcome (a typed RoomKitError rejection), not a crash. */
  isExpected?(error: unknown): boolean;
  /** Checks internal bounds after a batch; returns a problem description or undefined. Also re-arms the target. */
  check?(): Promise<string | undefined> | string | undefined;
  teardown(): Promise<void>;
  /** The hand mutator: one hostile input derived from the seed corpus. */
  mutate(random: Random): Input;
  /** The fast-check generator of hostile inputs. */
  arbitrary(): fc.Arbitrary<Input>;
  /** Short description of an input, for the report. */
  describe(input: Input): string;
}

export type EngineName = "hand" | "fast-check";

export interface FuzzRunOptions {
  engine: EngineName;
  seed: number;
  /** Stop after this many inputs... */
  maxInputs: number;
  /** ...or after this many milliseconds, whichever comes first. */
  maxMs: number;
  /** One input taking longer than this (twice in a row) is a hang. Default 100. */
  hangMs?: number;
  /** Heap growth above this between the warm-up sample and the end (after GC) is reported. Default 64 MiB. */
  maxHeapGrowthBytes?: number;
}

export interface FuzzFinding {
  kind: "crash" | "hang" | "growth" | "bound";
  signature: string;
  /** A short description of the first input that produced it. */
  input: string;
  /** Position of that input in the seeded stream (replay: same engine and seed, `--inputs index+1`). */
  index: number;
  count: number;
}

export interface FuzzReport {
  target: string;
  engine: EngineName;
  seed: number;
  inputs: number;
  durationMs: number;
  inputsPerSecond: number;
  slowestInputMs: number;
  heapStartBytes: number;
  heapEndBytes: number;
  heapPeakBytes: number;
  findings: FuzzFinding[];
}

function collectGarbage(): void {
  const bun = (globalThis as { Bun?: { gc(force: boolean): void } }).Bun;
  if (bun) bun.gc(true);
  else (globalThis as { gc?: () => void }).gc?.();
}

function heapUsed(): number {
  return process.memoryUsage().heapUsed;
}

function signatureOf(error: unknown): string {
  if (error instanceof Error) {
    const frame = (error.stack ?? "").split("\n").find((line) => line.trim().startsWith("at ")) ?? "";
    return `${error.name}: ${error.message.slice(0, 100)} ${frame.trim()}`;
  }
  return `non-error thrown: ${String(error).slice(0, 100)}`;
}

/** A deterministic input stream: the hand mutator from a seeded PRNG, or fast-check samples in seeded batches. */
function* inputStream<Input>(target: FuzzTarget<Input>, engine: EngineName, seed: number): Generator<Input> {
  if (engine === "hand") {
    const random = new Random(seed);
    for (;;) yield target.mutate(random);
  }
  const arbitrary = target.arbitrary();
  for (let batch = 0; ; batch++) {
    for (const input of fc.sample(arbitrary, { seed: seed + batch, numRuns: 500 })) yield input;
  }
}

/** Runs one target: every input checked for throws, per-input time and (sampled) heap growth. */
export async function fuzzTarget<Input>(target: FuzzTarget<Input>, options: FuzzRunOptions): Promise<FuzzReport> {
  const hangMs = options.hangMs ?? 100;
  const maxGrowth = options.maxHeapGrowthBytes ?? 64 * 1024 * 1024;
  const findings = new Map<string, FuzzFinding>();
  const record = (kind: FuzzFinding["kind"], signature: string, input: string) => {
    // Hangs differ only in their time: one finding per kind of hang.
    const key = kind === "hang" ? "hang" : `${kind}:${signature}`;
    const existing = findings.get(key);
    if (existing) existing.count++;
    else findings.set(key, { kind, signature, input, index: inputs, count: 1 });
  };
  await target.setup();
  const stream = inputStream(target, options.engine, options.seed);
  const started = performance.now();
  const deadline = started + options.maxMs;
  const checkEvery = 256;
  let inputs = 0;
  let slowest = 0;
  let heapStart = 0;
  let heapPeak = 0;
  const warmUp = Math.min(5000, Math.floor(options.maxInputs / 10));

  const runOne = async (input: Input): Promise<number> => {
    const before = performance.now();
    try {
      const result = target.run(input);
      if (result instanceof Promise) await result;
    } catch (error) {
      if (!target.isExpected?.(error)) record("crash", signatureOf(error), target.describe(input));
    }
    return performance.now() - before;
  };

  while (inputs < options.maxInputs) {
    const input = stream.next().value as Input;
    let elapsed = await runOne(input);
    // A GC pause can land on any input: only an input that is slow twice in a row is a hang.
    if (elapsed > hangMs) {
      elapsed = Math.min(elapsed, await runOne(input));
      if (elapsed > hangMs) record("hang", `input took ${elapsed.toFixed(1)} ms`, target.describe(input));
    }
    if (elapsed > slowest) slowest = elapsed;
    inputs++;
    if (inputs === warmUp) {
      collectGarbage();
      heapStart = heapUsed();
    }
    if (inputs % checkEvery === 0) {
      const problem = await target.check?.();
      if (problem !== undefined) record("bound", problem, target.describe(input));
      if (inputs % (checkEvery * 16) === 0) heapPeak = Math.max(heapPeak, heapUsed());
      if (performance.now() > deadline) break;
    }
  }
  const problem = await target.check?.();
  if (problem !== undefined) record("bound", problem, "(end of run)");
  await target.teardown();
  const durationMs = performance.now() - started;
  collectGarbage();
  const heapEnd = heapUsed();
  heapPeak = Math.max(heapPeak, heapEnd);
  if (heapStart > 0 && heapEnd - heapStart > maxGrowth) {
    record("growth", `heap grew ${((heapEnd - heapStart) / 1048576).toFixed(1)} MiB over the run`, "(whole run)");
  }
  return {
    target: target.name,
    engine: options.engine,
    seed: options.seed,
    inputs,
    durationMs: Math.round(durationMs),
    inputsPerSecond: Math.round((inputs * 1000) / Math.max(1, durationMs)),
    slowestInputMs: Number(slowest.toFixed(2)),
    heapStartBytes: heapStart,
    heapEndBytes: heapEnd,
    heapPeakBytes: heapPeak,
    findings: [...findings.values()],
  };
}
