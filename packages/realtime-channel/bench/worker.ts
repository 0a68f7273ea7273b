// Runs pinned (launched by index.ts through taskset). Prints one JSON object to stdout.
import { memoryVariant } from "./memory.ts";
import { capacityPhase, latencyPhase } from "./paced.ts";
import { frameCostPhase, transcriptionPhase } from "./rounds.ts";
import { measureFrameAllocations } from "../src/test-support/frame-allocations.ts";
import { pinnedCpus } from "./stats.ts";

const mode = process.argv[2];
const only = (process.env.ROOMKIT_BENCH_PHASES ?? "a,b,c,d,f,g,h").split(",");
const reps = Number(process.env.ROOMKIT_BENCH_REPS ?? 3);

if (mode === "capacity") {
  // Launched with JSC's GC log on (gc-log.ts): the capacity ladder alone, so the log costs the other phases nothing.
  const output: Record<string, unknown> = { pinned_cpus: pinnedCpus() };
  process.stderr.write("d_capacity\n");
  output.d_capacity = await capacityPhase(false);
  process.stderr.write("d_capacity_resample\n");
  output.d_capacity_resample = await capacityPhase(true);
  output.max_rss_bytes = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(JSON.stringify(output));
} else if (mode === "memory") {
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
  if (only.includes("f")) {
    process.stderr.write("f_latency\n");
    output.f_latency = await latencyPhase();
  }
  if (only.includes("g")) {
    process.stderr.write("g_transcriptions\n");
    output.g_transcriptions = await transcriptionPhase(reps);
  }
  if (only.includes("h")) {
    process.stderr.write("h_allocation\n");
    output.h_allocation = await allocationPhase();
  }
  output.max_rss_bytes = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(JSON.stringify(output));
}
process.exit(0);

async function allocationPhase(): Promise<Record<string, unknown>> {
  const result: Record<string, unknown> = {
    method:
      "bun:jsc heapStats().objectTypeCounts deltas over 2,000 frames of one live session with no GC in between " +
      "(retried if a count fell), minus an empty loop; the channel's audio listeners called directly (callback " +
      "dispatch not counted), provider/transport sendAudio replaced by counters that keep nothing. Objects per frame.",
  };
  for (const resample of [false, true]) {
    const measured = await measureFrameAllocations({ resample, frames: 2000 });
    result[resample ? "resample" : "no_resample"] = {
      inbound_objects_per_frame: measured.inboundTotal,
      outbound_objects_per_frame: measured.outboundTotal,
      inbound_by_type: measured.inbound,
      outbound_by_type: measured.outbound,
    };
    process.stderr.write(
      `  allocation${resample ? " (resample)" : ""}: in ${measured.inboundTotal}, out ${measured.outboundTotal} objects/frame\n`,
    );
  }
  return result;
}
