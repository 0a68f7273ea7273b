// Benchmark: N concurrent WebSocket callers on loopback, each streaming 20 ms frames in real time through
// WebSocketRealtimeTransport + RealtimeVoiceChannel to a provider that echoes every frame straight back.
// Bun.serve vs `ws` (under Bun: Bun's built-in ws implementation) in the same run. The server runs pinned to the
// least busy core (taskset), the load generator pinned to the other one; a fresh server process per run.
// Prints ONE JSON object. Env: BENCH_CLIENTS="50,200,500", BENCH_DURATION_MS=5000.
import { type RunResult, runOnce } from "./run-once.ts";

const clientCounts = (process.env.BENCH_CLIENTS ?? "50,200,500").split(",").map(Number);
const durationMs = Number(process.env.BENCH_DURATION_MS ?? 5000);
const repeats = Number(process.env.BENCH_REPEATS ?? 3);

async function busyTicks(): Promise<number[]> {
  const text = await Bun.file("/proc/stat").text();
  return text
    .split("\n")
    .filter((line) => /^cpu\d+ /.test(line))
    .map((line) => {
      const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
      return user! + nice! + system! + irq! + softirq! + steal!;
    });
}

/** The least busy core over 0.5 s (ties: the higher-numbered one), and another for the load generator. */
async function pickCores(): Promise<{ server: number; client: number; busy: number[] }> {
  const first = await busyTicks();
  await Bun.sleep(500);
  const busy = (await busyTicks()).map((ticks, index) => ticks - first[index]!);
  let server = 0;
  for (let index = 0; index < busy.length; index++) if (busy[index]! <= busy[server]!) server = index;
  const client = busy.length > 1 ? (server === 0 ? 1 : server - 1) : server;
  return { server, client, busy };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
};

/** Per-configuration medians over the repeats (each metric separately), plus the spread of the key figures. */
function summarize(runs: RunResult[]) {
  const pick = (select: (run: RunResult) => number | null) => median(runs.map((run) => select(run) ?? Number.NaN));
  const first = runs[0]!;
  return {
    server: first.server,
    clients: first.clients,
    runs: runs.length,
    sessionsLive: Math.min(...runs.map((run) => run.sessionsLive)),
    framesIn: pick((run) => run.framesIn),
    framesOut: pick((run) => run.framesOut),
    outboundDropped: Math.max(...runs.map((run) => run.outboundDropped)),
    serverCpuPercentOfOneCore: pick((run) => run.serverCpuPercentOfOneCore),
    cpuMicrosPerFrame: pick((run) => run.cpuMicrosPerFrame),
    cpuMicrosPerFrameRange: [
      Math.min(...runs.map((run) => run.cpuMicrosPerFrame)),
      Math.max(...runs.map((run) => run.cpuMicrosPerFrame)),
    ],
    addedLatencyMicros: {
      p50: pick((run) => run.addedLatencyMicros.p50),
      p99: pick((run) => run.addedLatencyMicros.p99),
      max: pick((run) => run.addedLatencyMicros.max),
    },
    eventLoopLagMs: { p50: pick((run) => run.eventLoopLagMs.p50), p99: pick((run) => run.eventLoopLagMs.p99) },
    roundTripMs: {
      p50: pick((run) => run.roundTripMs.p50),
      p99: pick((run) => run.roundTripMs.p99),
      p99Range: [
        Math.min(...runs.map((run) => run.roundTripMs.p99 ?? Number.NaN)),
        Math.max(...runs.map((run) => run.roundTripMs.p99 ?? Number.NaN)),
      ],
    },
    loadGeneratorCpuPercent: pick((run) => run.loadGeneratorCpuPercent),
    rssPerSessionKiB: pick((run) => run.rssPerSessionKiB),
    heapPerSessionKiB: pick((run) => run.heapPerSessionKiB),
  };
}

const cores = await pickCores();
const results: Array<ReturnType<typeof summarize>> = [];
for (const clients of clientCounts) {
  const runs: Record<"bun" | "ws", RunResult[]> = { bun: [], ws: [] };
  // Interleaved (bun, ws, bun, ws, ...) so drifting background load hits both alike.
  for (let repeat = 0; repeat < repeats; repeat++) {
    for (const kind of ["bun", "ws"] as const) runs[kind].push(await runOnce(kind, clients, durationMs, cores));
  }
  results.push(summarize(runs.bun), summarize(runs.ws));
}
const total = (kind: string, pick: (result: (typeof results)[number]) => number) =>
  results.filter((result) => result.server === kind).reduce((sum, result) => sum + pick(result), 0);
const bunCpu = total("bun", (result) => result.cpuMicrosPerFrame);
const wsCpu = total("ws", (result) => result.cpuMicrosPerFrame);
/** Memory a session adds (between the smallest and largest N), without the fixed cost of the first connections. */
function marginalKiB(kind: string, field: "heapPerSessionKiB" | "rssPerSessionKiB"): number | null {
  const rows = results.filter((result) => result.server === kind).sort((a, b) => a.clients - b.clients);
  if (rows.length < 2) return null;
  const small = rows[0]!;
  const large = rows.at(-1)!;
  return Number(
    ((large[field] * large.clients - small[field] * small.clients) / (large.clients - small.clients)).toFixed(1),
  );
}
const loadAverage = (await Bun.file("/proc/loadavg").text()).split(" ").slice(0, 3).map(Number);
console.log(
  JSON.stringify(
    {
      benchmark:
        "transport-ws: N WebSocket callers streaming 20 ms PCM16 frames in real time, echoed through the channel",
      machine: {
        cores: navigator.hardwareConcurrency,
        bun: Bun.version,
        serverPinnedCpu: cores.server,
        loadGeneratorPinnedCpu: cores.client,
        busyTicksBeforeRun: cores.busy,
        loadAverageAfterRun: loadAverage,
        note: "shared, noisy 2-core machine (other sessions run tests); one server core, load generator on the other",
      },
      durationMsPerRun: durationMs,
      repeatsPerConfiguration: repeats,
      aggregation: "median of the repeats for every figure; ranges show min..max",
      frame: "640 B (20 ms of 16 kHz PCM16), binary both ways",
      metrics: {
        addedLatencyMicros:
          "in the server: frame handed to the channel -> its echo handed to the socket (transport + channel)",
        roundTripMs: "load generator: send -> echo received (both hops + both event loops), first 1 s excluded",
        eventLoopLagMs: "server: lateness of a 10 ms timer while streaming (CPU contention, GC)",
        cpuMicrosPerFrame: "server CPU (user + system) / (frames in + frames out), from all sessions live to the end",
        memoryPerSession: "after GC with all sessions live, minus before any connection, / N; marginal = 50 -> max N",
      },
      results,
      marginalMemoryPerSessionKiB: {
        bun: { heap: marginalKiB("bun", "heapPerSessionKiB"), rss: marginalKiB("bun", "rssPerSessionKiB") },
        ws: { heap: marginalKiB("ws", "heapPerSessionKiB"), rss: marginalKiB("ws", "rssPerSessionKiB") },
      },
      fasterByCpuPerFrame: bunCpu <= wsCpu ? "bun" : "ws",
    },
    null,
    2,
  ),
);
process.exit(0);
