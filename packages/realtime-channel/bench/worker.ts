// Runs pinned (launched by index.ts through taskset). Prints one JSON object to stdout.
import { memoryVariant } from "./memory.ts";
import { capacityPhase, latencyPhase } from "./paced.ts";
import { frameCostPhase, transcriptionPhase } from "./rounds.ts";
import { pinnedCpus } from "./stats.ts";

const mode = process.argv[2];
const only = (process.env.ROOMKIT_BENCH_PHASES ?? "a,b,c,d,f,g").split(",");
const reps = Number(process.env.ROOMKIT_BENCH_REPS ?? 3);

if (mode === "memory") {
  const resample = process.argv[3] === "resample";
  const result = await memoryVariant(resample);
  process.stdout.write(
    JSON.stringify({ ...result, pinned_cpus: pinnedCpus(), max_rss_bytes: process.resourceUsage().maxRSS * 1024 }),
  );
} else {
  const output: Record<string, unknown> = { pinned_cpus: pinnedCpus() };
  if (only.includes("a")) {
    process.stderr.write("a_inbound\n");
    output.a_inbound = await frameCostPhase("inbound", false, 10_000, reps);
  }
  if (only.includes("b")) {
    process.stderr.write("b_outbound\n");
    output.b_outbound = await frameCostPhase("outbound", false, 10_000, reps);
  }
  if (only.includes("c")) {
    process.stderr.write("c_resample\n");
    output.c_resample = {
      inbound: await frameCostPhase("inbound", true, 4_000, reps),
      outbound: await frameCostPhase("outbound", true, 4_000, reps),
    };
  }
  if (only.includes("d")) {
    process.stderr.write("d_capacity\n");
    output.d_capacity = await capacityPhase(false);
    process.stderr.write("d_capacity_resample\n");
    output.d_capacity_resample = await capacityPhase(true);
  }
  if (only.includes("f")) {
    process.stderr.write("f_latency\n");
    output.f_latency = await latencyPhase();
  }
  if (only.includes("g")) {
    process.stderr.write("g_transcriptions\n");
    output.g_transcriptions = await transcriptionPhase(reps);
  }
  output.max_rss_bytes = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(JSON.stringify(output));
}
process.exit(0);
