// Benchmark: RoomKit nodes under WebSocket calls with the store and the bus in use, against one node alone.
//   cluster: two node processes sharing a private PostgreSQL (store) and a private Redis (bus + session registry),
//            SESSIONS calls on each;
//   clusterSharded: the same with the bus's `roomSlots` (each node receives only its rooms' events);
//   alone:   one node process with SESSIONS calls, memory store and no bus (the single-process default).
// Each call: a caller WebSocket streaming 20 ms frames in real time (1 s tone, 2 s silence, repeating) → the node's
// RealtimeVoiceChannel → an OpenAI Realtime fake (its own process, one per node), which answers every turn with 400 ms of audio
// and transcripts that the node stores (and, in the cluster, publishes to the other node).
// Per node process: CPU µs per audio frame (process.cpuUsage over the streaming window / frames in + out) and RSS
// per session (after GC, all calls live, minus before the first call). Runs alternate alone/cluster/sharded; medians.
// Env: BENCH_SESSIONS (per node, default 100), BENCH_DURATION_MS (6000), BENCH_REPEATS (3). `bun run bench`.
import { type Subprocess, spawn } from "bun";
import { join } from "node:path";
import { startRedisServer } from "../../../packages/bus-redis/src/test-support/redis-server.ts";
import { startPostgresServer } from "../../../packages/store-postgres/src/test-support/postgres-server.ts";

const sessions = Number(process.env.BENCH_SESSIONS ?? 100);
const durationMs = Number(process.env.BENCH_DURATION_MS ?? 6000);
const repeats = Number(process.env.BENCH_REPEATS ?? 3);

interface NodeResult {
  nodeId: string;
  mode: string;
  sessionsLive: number;
  failures: number;
  measuredMs: number;
  framesIn: number;
  framesOut: number;
  framesToProvider: number;
  outboundDropped: number;
  cpuMs: number;
  cpuPercentOfOneCore: number;
  cpuMicrosPerFrame: number;
  rssBeforeSessionsMiB: number;
  rssPerSessionKiB: number;
  heapPerSessionKiB: number;
  eventsPublished: number;
  eventsFromOtherNodes: number;
  error?: string;
}

function lineReader(child: Subprocess<"pipe" | "ignore", "pipe", "inherit">) {
  const reader = (child.stdout as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  return async (): Promise<string> => {
    while (!buffer.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) throw new Error("process exited before printing a line");
      buffer += decoder.decode(value);
    }
    const index = buffer.indexOf("\n");
    const line = buffer.slice(0, index);
    buffer = buffer.slice(index + 1);
    return line;
  };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor((sorted.length - 1) / 2)] as number;
};
const range = (values: number[]) => [Math.min(...values), Math.max(...values)];

const postgres = await startPostgresServer();
const redis = await startRedisServer();
// One fake per node (the provider is another service, not part of a node): node a uses fakes[0], node b fakes[1].
const fakes = await Promise.all(
  [0, 1].map(async () => {
    const child = spawn([process.execPath, join(import.meta.dir, "fake-process.ts")], {
      stdin: "pipe",
      stdout: "pipe",
      stderr: "inherit",
    });
    return { child, url: (JSON.parse(await lineReader(child)()) as { url: string }).url };
  }),
);

/** CPU ticks (user + system, 1/100 s) a process used so far, from /proc. */
async function cpuTicks(pid: number): Promise<number> {
  const fields = (await Bun.file(`/proc/${pid}/stat`).text()).split(") ")[1]?.split(" ") ?? [];
  return Number(fields[11]) + Number(fields[12]);
}

let runCounter = 0;
type Mode = "alone" | "cluster" | "clusterSharded";
const ROOM_SLOTS = 4_096;

async function runOnce(mode: Mode) {
  const namespace = `bench_${process.pid}_${runCounter++}`;
  const nodeIds = mode === "alone" ? ["a"] : ["a", "b"];
  const nodes = nodeIds.map((nodeId, index) => {
    const child = spawn([process.execPath, join(import.meta.dir, "node-process.ts")], {
      env: {
        ...process.env,
        MODE: mode === "alone" ? "alone" : "cluster",
        ROOM_SLOTS: mode === "clusterSharded" ? String(ROOM_SLOTS) : "",
        NODE_ID: nodeId,
        SESSIONS: String(sessions),
        FAKE_URL: fakes[index]?.url,
        DATABASE_URL: postgres.url,
        REDIS_URL: redis.url,
        NAMESPACE: namespace,
      },
      stdin: "pipe",
      stdout: "pipe",
      stderr: "inherit",
    });
    return { child, read: lineReader(child) };
  });
  const urls: string[] = [];
  for (const node of nodes) urls.push((JSON.parse(await node.read()) as { url: string }).url);
  const client = spawn(
    [process.execPath, join(import.meta.dir, "load-client.ts"), urls.join(","), String(sessions), String(durationMs)],
    { stdout: "pipe", stderr: "inherit" },
  );
  const readClient = lineReader(client);
  const live = JSON.parse(await readClient()) as { live: number };
  const fakesUsed = fakes.slice(0, nodes.length);
  const ticksBefore = await Promise.all(fakesUsed.map((fake) => cpuTicks(fake.child.pid)));
  const clientTicksBefore = await cpuTicks(client.pid);
  const wallBefore = performance.now();
  const load = JSON.parse(await readClient()) as { sent: number; received: number; finishedLateMs: number };
  const seconds = (performance.now() - wallBefore) / 1000;
  const ticksAfter = await Promise.all(fakesUsed.map((fake) => cpuTicks(fake.child.pid)));
  const fakeCpuPercent = ticksAfter.map((ticks, index) =>
    Math.round((ticks - (ticksBefore[index] as number)) / seconds),
  );
  const loadGeneratorCpuPercent = Math.round(((await cpuTicks(client.pid)) - clientTicksBefore) / seconds);
  const results: NodeResult[] = [];
  for (const node of nodes) {
    node.child.stdin.write("stop\n");
    node.child.stdin.flush();
    results.push(JSON.parse(await node.read()) as NodeResult);
  }
  client.kill("SIGKILL");
  await client.exited;
  for (const node of nodes) {
    node.child.kill("SIGKILL");
    await node.child.exited;
  }
  const failed = results.find((result) => result.error);
  if (failed) throw new Error(`${mode}: ${failed.error}`);
  return { mode, callsLive: live.live, load, fakeCpuPercent, loadGeneratorCpuPercent, nodes: results };
}

type Run = Awaited<ReturnType<typeof runOnce>>;
const runs: Record<Mode, Run[]> = { alone: [], cluster: [], clusterSharded: [] };
try {
  // Alternating (alone, cluster, alone, cluster, ...) so drifting background load hits both alike.
  for (let repeat = 0; repeat < repeats; repeat++) {
    for (const mode of ["alone", "cluster", "clusterSharded"] as const) runs[mode].push(await runOnce(mode));
  }
} finally {
  for (const fake of fakes) fake.child.kill("SIGKILL");
  await redis.stop();
  postgres.stop();
}

/** Per run: the mean over its node processes; then the median (and range) over the runs. */
function summarize(mode: Mode) {
  const perRun = (pick: (node: NodeResult) => number) =>
    runs[mode].map((run) => run.nodes.reduce((sum, node) => sum + pick(node), 0) / run.nodes.length);
  const figure = (pick: (node: NodeResult) => number, digits = 2) => {
    const values = perRun(pick).map((value) => Number(value.toFixed(digits)));
    return { median: median(values), range: range(values), runs: values };
  };
  return {
    nodes: mode === "alone" ? 1 : 2,
    sessionsPerNode: sessions,
    store: mode === "alone" ? "memory" : "postgres (shared)",
    bus: mode === "alone" ? "none" : mode === "cluster" ? "redis, one channel" : `redis, roomSlots ${ROOM_SLOTS}`,
    cpuMicrosPerFrame: figure((node) => node.cpuMicrosPerFrame),
    rssPerSessionKiB: figure((node) => node.rssPerSessionKiB, 1),
    heapPerSessionKiB: figure((node) => node.heapPerSessionKiB, 1),
    cpuPercentOfOneCorePerNode: figure((node) => node.cpuPercentOfOneCore, 1),
    framesInPerNode: figure((node) => node.framesIn, 0),
    framesOutPerNode: figure((node) => node.framesOut, 0),
    framesToProviderPerNode: figure((node) => node.framesToProvider, 0),
    replyFramesPerSession: figure((node) => node.framesOut / sessions, 1),
    eventsPublishedPerNode: figure((node) => node.eventsPublished, 0),
    eventsFromOtherNodePerNode: figure((node) => node.eventsFromOtherNodes, 0),
    outboundDroppedMax: Math.max(...runs[mode].flatMap((run) => run.nodes.map((node) => node.outboundDropped))),
    sessionFailures: runs[mode].reduce(
      (sum, run) => sum + run.nodes.reduce((total, node) => total + node.failures, 0),
      0,
    ),
    loadGeneratorFinishedLateMs: runs[mode].map((run) => run.load.finishedLateMs),
    loadGeneratorCpuPercent: runs[mode].map((run) => run.loadGeneratorCpuPercent),
    fakeCpuPercentPerRun: runs[mode].map((run) => run.fakeCpuPercent),
  };
}
const alone = summarize("alone");
const clustered = summarize("cluster");
const sharded = summarize("clusterSharded");
const loadAverage = (await Bun.file("/proc/loadavg").text()).split(" ").slice(0, 3).map(Number);
console.log(
  JSON.stringify(
    {
      benchmark: "cluster-demo: nodes under WebSocket calls (OpenAI fake), store + bus in use, vs one node alone",
      machine: {
        cores: navigator.hardwareConcurrency,
        bun: Bun.version,
        loadAverageAfterRun: loadAverage,
        note: "shared, noisy 2-core machine; PostgreSQL, Redis, the fakes, the nodes and the load generator all on it, unpinned",
      },
      durationMsPerRun: durationMs,
      repeats,
      frame: "640 B (20 ms of 16 kHz PCM16) from callers; replies 20 ms frames; PostgreSQL with fsync off",
      metrics: {
        cpuMicrosPerFrame: "node process CPU (user + system) while streaming / (caller frames in + reply frames out)",
        rssPerSessionKiB: "node RSS after GC with all calls live, minus before the first call, / sessions",
        aggregation: "per run the mean over its node processes; median and [min, max] over the runs",
      },
      alone,
      cluster: clustered,
      clusterSharded: sharded,
      // The fake answers fewer turns when the machine cannot keep up (it parses every caller frame): then the
      // cluster's per-frame figure is not comparable (fewer replies, fewer stored transcripts).
      workloadIntact:
        clustered.replyFramesPerSession.median >= 0.8 * alone.replyFramesPerSession.median &&
        sharded.replyFramesPerSession.median >= 0.8 * alone.replyFramesPerSession.median &&
        clustered.cpuMicrosPerFrame.median > 0,
      clusterOverAlone: {
        cpuPerFrame: Number((clustered.cpuMicrosPerFrame.median / alone.cpuMicrosPerFrame.median).toFixed(2)),
        rssPerSession: Number((clustered.rssPerSessionKiB.median / alone.rssPerSessionKiB.median).toFixed(2)),
      },
      clusterShardedOverAlone: {
        cpuPerFrame: Number((sharded.cpuMicrosPerFrame.median / alone.cpuMicrosPerFrame.median).toFixed(2)),
        rssPerSession: Number((sharded.rssPerSessionKiB.median / alone.rssPerSessionKiB.median).toFixed(2)),
      },
    },
    null,
    2,
  ).replace(/\[\s+([^\]{}]*?)\s+\]/g, (_, items: string) => `[${items.split(/,\s+/).join(", ")}]`),
);
process.exit(0);
