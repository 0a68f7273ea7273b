// Soak: a moderate mixed load for --minutes M, sampled every minute. The server side (this process): RoomKit with a
// memory store, RealtimeVoiceChannel with a tool, WebSocketRealtimeTransport on Bun.serve, and a provider that
// echoes caller audio. The callers (soak-client.ts, another process) keep --sessions calls up, each 3–15 s long then
// replaced, streaming 20 ms frames. Every 250 ms the provider side plays a tool call or a barge-in (response starts,
// then the caller's speech starts) on a random live session. Each sample (after a full GC): RSS, heap used, active
// handles by type (process.getActiveResourcesInfo), sessions, calls, frames. The verdict: least-squares slope of RSS
// and heap in MiB/hour over the samples after the first minute, and what is left once the callers have gone.
// bun scripts/load/soak.ts --minutes 60 [--sessions 50] [--sample-seconds 60] [--seed 1] [--out file.json]
import { join } from "node:path";
import { parseArgs } from "node:util";
import { MemoryConversationStore, RoomKit } from "../../packages/core/src/index.ts";
import { RealtimeVoiceChannel } from "../../packages/realtime-channel/src/index.ts";
import { silentLogger, type VoiceSession } from "../../packages/spec/src/index.ts";
import { MockRealtimeProvider } from "../../packages/testing/src/index.ts";
import { readLine } from "../../packages/transport-ws/bench/run-once.ts";
import { createBunWebSocketAdapter, WebSocketRealtimeTransport } from "../../packages/transport-ws/src/index.ts";
import { leastSquaresSlope, loadAverage, machineSummary, openFileDescriptors, writeJson } from "./common.ts";

const { values } = parseArgs({
  options: {
    minutes: { type: "string", default: "5" },
    sessions: { type: "string", default: "50" },
    "sample-seconds": { type: "string", default: "60" },
    seed: { type: "string", default: "1" },
    out: { type: "string" },
  },
});
const minutes = Number(values.minutes);
const sessions = Number(values.sessions);
const sampleSeconds = Number(values["sample-seconds"]);
for (const [name, value] of [
  ["minutes", minutes],
  ["sessions", sessions],
  ["sample-seconds", sampleSeconds],
] as const) {
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
}
const ROOMS = Math.max(4 * sessions, 8);

/** Echoes caller audio as model audio without recording it; the other calls are recorded and cleared per sample. */
class SoakProvider extends MockRealtimeProvider {
  override sendAudio(session: VoiceSession, audio: Uint8Array): void {
    this.fireAudio(session, audio);
  }
  /** Counts and forgets what the mock recorded (test bookkeeping, not the library's memory). */
  drain(): { toolResults: number } {
    const toolResults = this.toolResults.length;
    this.calls.length = 0;
    this.toolResults.length = 0;
    this.injectedTexts.length = 0;
    this.sentAudio.length = 0;
    return { toolResults };
  }
}

const counts = { sessionsStarted: 0, sessionStartErrors: 0, toolCalls: 0, toolResults: 0, bargeIns: 0 };
const provider = new SoakProvider({ logger: silentLogger });
const kit = new RoomKit({ store: new MemoryConversationStore(), logger: silentLogger });
const transport = new WebSocketRealtimeTransport({ audioFormat: "binary", logger: silentLogger });
const channel = new RealtimeVoiceChannel("voice", {
  provider,
  transport,
  inputSampleRate: 16000,
  outputSampleRate: 16000,
  emitTranscriptionEvents: false,
  tools: [{ name: "lookup", description: "looks a thing up", parameters: { type: "object" } }],
  toolHandler: async (_session, _name, args) => ({ found: true, query: args.query ?? null }),
  logger: silentLogger,
});
kit.registerChannel(channel);
// A fixed set of rooms reused round-robin: the memory store keeps every room by design, so a new room per call
// would grow without bound and hide what the channel and transport leave behind.
for (let room = 0; room < ROOMS; room++) {
  await kit.createRoom({ roomId: `room-${room}` });
  await kit.attachChannel(`room-${room}`, "voice");
}
const live = new Set<string>();
let callNumber = 0;
const adapter = createBunWebSocketAdapter({
  rateLimit: false, // every soak client comes from 127.0.0.1
  onConnection: async (connection) => {
    const number = ++callNumber;
    try {
      const session = await channel.startSession(`room-${number % ROOMS}`, `caller-${number}`, { connection });
      live.add(session.id);
      counts.sessionsStarted++;
    } catch {
      counts.sessionStartErrors++;
    }
  },
});
const server = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  fetch: (request, bunServer) => (adapter.upgrade(request, bunServer) ? undefined : new Response("", { status: 400 })),
  websocket: adapter.websocket,
});

let seed = Number(values.seed) >>> 0 || 1;
const random = () => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 0x1_0000_0000;
};
function pickLive(): VoiceSession | undefined {
  const ids = [...live];
  while (ids.length > 0) {
    const index = Math.floor(random() * ids.length);
    const session = channel.getSession(ids[index]!);
    if (session) return session;
    live.delete(ids[index]!);
    ids.splice(index, 1);
  }
  return undefined;
}
let toolCallId = 0;
const driver = setInterval(() => {
  const session = pickLive();
  if (!session) return;
  if (random() < 0.5) {
    counts.toolCalls++;
    void provider.simulateToolCall(session, `call-${++toolCallId}`, "lookup", { query: "soak" }).catch(() => {});
  } else {
    counts.bargeIns++;
    void provider
      .simulateResponseStart(session)
      .then(() => provider.simulateSpeechStart(session))
      .then(() => provider.simulateResponseEnd(session))
      .then(() => Bun.sleep(300))
      .then(() => provider.simulateSpeechEnd(session))
      .catch(() => {});
  }
}, 250);

const client = Bun.spawn(
  [
    process.execPath,
    join(import.meta.dir, "soak-client.ts"),
    `ws://127.0.0.1:${server.port}/ws`,
    String(sessions),
    String(seed),
  ],
  { stdin: "pipe", stdout: "pipe", stderr: "inherit" },
);
const clientReader = client.stdout.getReader();
const clientBuffer = { text: "" };
async function clientStats(command: "stats" | "stop"): Promise<Record<string, number>> {
  client.stdin.write(`${command}\n`);
  await client.stdin.flush();
  return JSON.parse(await readLine(clientReader, clientBuffer));
}

function handles(): Record<string, number> {
  const byType: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) byType[type] = (byType[type] ?? 0) + 1;
  return byType;
}

const MiB = 1024 * 1024;
const startedAt = new Date().toISOString();
const loadBefore = loadAverage();
const t0 = performance.now();
const samples: Array<
  Record<string, unknown> & {
    minute: number;
    rssMiB: number;
    heapUsedMiB: number;
    fileDescriptors: Record<string, number>;
  }
> = [];
async function sample(callers: Record<string, number> | undefined) {
  const drained = provider.drain();
  counts.toolResults += drained.toolResults;
  Bun.gc(true);
  const memory = process.memoryUsage();
  const entry = {
    minute: Number(((performance.now() - t0) / 60_000).toFixed(2)),
    rssMiB: Number((memory.rss / MiB).toFixed(2)),
    heapUsedMiB: Number((memory.heapUsed / MiB).toFixed(2)),
    activeResources: handles(),
    fileDescriptors: openFileDescriptors(),
    channelSessions: channel.sessionCount,
    transportSessions: transport.sessionCount,
    loadAverage: loadAverage(),
    ...counts,
    callers,
  };
  samples.push(entry);
  console.error(JSON.stringify(entry));
  return entry;
}

function verdict(final: Awaited<ReturnType<typeof sample>>) {
  // The first minute is warm-up (JIT, pools filling); the slope is over the samples after it.
  const steady = samples.filter((entry) => entry.minute >= Math.min(1, minutes / 2) && entry !== final);
  const hours = steady.map((entry) => entry.minute / 60);
  const rssSlope = leastSquaresSlope(
    hours,
    steady.map((entry) => entry.rssMiB),
  );
  const heapSlope = leastSquaresSlope(
    hours,
    steady.map((entry) => entry.heapUsedMiB),
  );
  const limits = { rssMiBPerHour: 20, heapMiBPerHour: 5 };
  const leftover = {
    channelSessions: final.channelSessions,
    transportSessions: final.transportSessions,
    socketsVsStart: (final.fileDescriptors.socket ?? 0) - (samples[0]!.fileDescriptors.socket ?? 0),
  };
  const flat =
    rssSlope !== null &&
    heapSlope !== null &&
    Math.abs(rssSlope) <= limits.rssMiBPerHour &&
    Math.abs(heapSlope) <= limits.heapMiBPerHour;
  return {
    rssSlopeMiBPerHour: rssSlope === null ? null : Number(rssSlope.toFixed(2)),
    heapSlopeMiBPerHour: heapSlope === null ? null : Number(heapSlope.toFixed(2)),
    samplesInSlope: steady.length,
    limits,
    leftoverAfterCallersGone: leftover,
    pass: flat && leftover.channelSessions === 0 && leftover.transportSessions === 0,
  };
}

function output(final?: Awaited<ReturnType<typeof sample>>) {
  return {
    benchmark: "soak: WebSocket calls starting and ending continuously, tool calls and barge-ins",
    startedAt,
    minutesRequested: minutes,
    concurrentCalls: sessions,
    sampleSeconds,
    workload: {
      calls: "each 3–15 s (seeded), replaced at once; 640 B frames every 20 ms both ways (echo provider)",
      driver:
        "every 250 ms on a random live session: a tool call (handler returns JSON) or a barge-in (response " +
        "start, caller speech start, response end, speech end 300 ms later)",
      rooms: `${ROOMS} rooms reused round-robin (memory store)`,
      sampling:
        "after Bun.gc(true); mock provider recordings cleared first (test bookkeeping). activeResources is " +
        "process.getActiveResourcesInfo() by type (empty under Bun 1.4, which does not report them); " +
        "fileDescriptors counts /proc/self/fd by kind (sockets, pipes, eventfd/epoll, files) instead",
      echo:
        "callers get back fewer frames than they send: from each barge-in's speech start to its speech end " +
        "(300 ms) the channel drops provider audio, as it does for a caller talking over the model",
    },
    machine: { ...machineSummary(), loadAverageBefore: loadBefore, loadAverageAfter: loadAverage() },
    samples,
    verdict: final ? verdict(final) : "running",
  };
}

await sample(undefined);
const endAt = t0 + minutes * 60_000;
while (performance.now() < endAt) {
  await Bun.sleep(Math.min(sampleSeconds * 1000, endAt - performance.now()));
  await sample(await clientStats("stats"));
  if (values.out) writeJson(values.out, output());
}
clearInterval(driver);
const callers = await clientStats("stop");
await client.exited;
const drainDeadline = performance.now() + 10_000;
while ((channel.sessionCount > 0 || transport.sessionCount > 0) && performance.now() < drainDeadline) {
  await Bun.sleep(50);
}
const final = await sample(callers);
const result = output(final);
if (values.out) writeJson(values.out, result);
console.log(JSON.stringify(result.verdict, null, 2));
await kit.close();
await transport.close();
server.stop(true);
process.exit(0);
