/**
 * The fuzz runner. Short mode (default, what CI runs through fuzz.test.ts): a few seconds per target and engine.
 * Long mode (`--long` or FUZZ_LONG=1): 1,000,000 inputs per target (FUZZ_INPUTS overrides), no time cap below 1 h.
 *
 *   bun scripts/fuzz/run.ts [--long] [--target ws-client] [--engine hand|fast-check|both] [--seed 1] [--inputs N] [--ms N]
 *
 * Prints one JSON report per target and engine; exits 1 when any finding was recorded.
 */
import { type EngineName, type FuzzReport, fuzzTarget } from "./engine.ts";
import { FUZZ_TARGETS } from "./targets/index.ts";

function flag(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
}

export interface RunPlan {
  targets: string[];
  engines: EngineName[];
  seed: number;
  maxInputs: number;
  maxMs: number;
}

export function planFromArguments(): RunPlan {
  const long = process.argv.includes("--long") || process.env.FUZZ_LONG === "1";
  const target = flag("target");
  const engine = flag("engine") ?? (long ? "hand" : "both");
  return {
    targets: target ? target.split(",") : Object.keys(FUZZ_TARGETS),
    engines: engine === "both" ? ["hand", "fast-check"] : [engine as EngineName],
    seed: Number(flag("seed") ?? process.env.FUZZ_SEED ?? 1),
    maxInputs: Number(flag("inputs") ?? process.env.FUZZ_INPUTS ?? (long ? 1_000_000 : 20_000)),
    maxMs: Number(flag("ms") ?? (long ? 3_600_000 : 3_000)),
  };
}

export async function runPlan(plan: RunPlan, onReport: (report: FuzzReport) => void): Promise<FuzzReport[]> {
  const reports: FuzzReport[] = [];
  for (const name of plan.targets) {
    const create = FUZZ_TARGETS[name];
    if (!create) throw new Error(`unknown fuzz target ${name}; known: ${Object.keys(FUZZ_TARGETS).join(", ")}`);
    for (const engine of plan.engines) {
      const report = await fuzzTarget(create(), {
        engine,
        seed: plan.seed,
        maxInputs: plan.maxInputs,
        maxMs: plan.maxMs,
      });
      reports.push(report);
      onReport(report);
    }
  }
  return reports;
}

if (import.meta.main) {
  const reports = await runPlan(planFromArguments(), (report) => console.log(JSON.stringify(report)));
  process.exit(reports.some((report) => report.findings.length > 0) ? 1 : 0);
}
