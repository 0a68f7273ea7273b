// `bun run bench`: the RealtimeVoiceChannel anchor workload (/work/shared/bench/WORKLOAD.md).
// Picks the least busy core, runs the workload pinned to it with taskset (a fresh process for each memory
// variant), and prints ONE JSON object with the workload's keys. Progress goes to stderr.
// ROOMKIT_BENCH_PHASES=a,b,c,d,e,f,g,h and ROOMKIT_BENCH_REPS select a subset for development.
import os from "node:os";
import { WORKLOAD } from "./fixtures.ts";
import { collectGcPauses, GC_LOG_ENV, summarizeGcPauses } from "./gc-log.ts";
import { gitCommit, machineInfo, pickCore } from "./machine.ts";
import { pinnedCpus } from "./stats.ts";

const started = performance.now();
const loadavgAtStart = os.loadavg();
const affinityBeforePin = pinnedCpus();
const { cpu, busy } = await pickCore();
const phases = (process.env.ROOMKIT_BENCH_PHASES ?? "a,b,c,d,e,f,g,h").split(",");
const worker = new URL("./worker.ts", import.meta.url).pathname;

async function runPinned(args: string[], gcLog = false): Promise<Record<string, unknown>> {
  const child = Bun.spawn(["taskset", "-c", String(cpu), process.execPath, worker, ...args], {
    stdout: "pipe",
    stderr: gcLog ? "pipe" : "inherit",
    env: gcLog ? { ...process.env, ...GC_LOG_ENV } : process.env,
  });
  const pauses = gcLog
    ? collectGcPauses(child.stderr as ReadableStream<Uint8Array>, (line) => process.stderr.write(`${line}\n`))
    : undefined;
  const text = await new Response(child.stdout).text();
  const code = await child.exited;
  if (code !== 0) throw new Error(`bench worker ${args.join(" ")} exited with ${code}`);
  const result = JSON.parse(text);
  if (pauses !== undefined) attachGcPauses(result, await pauses);
  return result;
}

/** Replaces each capacity run's `gc_window` id by its GC pauses (and the same for the last passing step). */
function attachGcPauses(result: Record<string, unknown>, windows: Map<number, number[]>): void {
  for (const key of ["d_capacity", "d_capacity_resample"]) {
    const phase = result[key] as { runs: Array<Record<string, unknown>>; at_max?: Record<string, unknown> };
    if (phase === undefined) continue;
    for (const run of [...phase.runs, ...(phase.at_max ? [phase.at_max] : [])]) {
      run.gc = summarizeGcPauses(windows.get(run.gc_window as number));
      delete run.gc_window;
    }
  }
}

const main = await runPinned(["main"]);
if (phases.includes("d")) {
  const capacity = await runPinned(["capacity"], true);
  main.d_capacity = capacity.d_capacity;
  main.d_capacity_resample = capacity.d_capacity_resample;
  main.max_rss_bytes = Math.max(main.max_rss_bytes as number, capacity.max_rss_bytes as number);
}
const memory: Record<string, unknown> = {
  method: "fresh pinned process per variant; Bun.gc(true) before each RSS read (/proc/self/statm)",
};
const peaks = [main.max_rss_bytes as number];
if (phases.includes("e")) {
  process.stderr.write("e_memory\n");
  for (const variant of ["no_resample", "resample"] as const) {
    const result = await runPinned(["memory", variant]);
    peaks.push(result.max_rss_bytes as number);
    delete result.max_rss_bytes;
    delete result.pinned_cpus;
    memory[variant] = result;
  }
}
const { pinned_cpus: pinned, max_rss_bytes: _max, ...results } = main;

const report = {
  schema: "roomkit-realtime-anchor/v1",
  implementation: {
    language: "TypeScript",
    runtime: `bun ${Bun.version}`,
    roomkit_version: "0.1.0",
    ts_commit: gitCommit(),
    event_loop: "Bun (JavaScriptCore) single event loop; channel hot path is synchronous plain calls",
    deps: {},
    resampler: "inline streaming polyphase Kaiser-sinc (@roomkit/audio createResampler), same thread, no executor hop",
  },
  machine: {
    ...machineInfo(),
    affinity_before_pin: affinityBeforePin,
    pinned_cpus: pinned,
    core_busy_before_pin: busy,
    loadavg_at_start: loadavgAtStart,
    loadavg_at_end: os.loadavg(),
  },
  workload: WORKLOAD,
  ...results,
  e_memory: memory,
  total_wall_s: Math.round((performance.now() - started) / 10) / 100,
  peak_rss_bytes: Math.max(...peaks),
};
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
