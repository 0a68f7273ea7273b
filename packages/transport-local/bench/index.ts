// Benchmark: round trip speaker → null-sink monitor → mic through a private PulseAudio daemon at 20 ms blocks
// (pulse driver, default lead 40 ms / device latency 20 ms, plus the low-latency 20 / 10 setting), and the CPU of
// this process and of the helper processes (pacat, parec) while a response streams at steady state.
// Round trip is measured from sendAudio() (so it includes the output lead) to the mic block holding the first sample.
// Prints ONE JSON object. Env: BENCH_ROUNDS=30, BENCH_STEADY_MS=5000.
import { readFileSync } from "node:fs";
import { LocalAudioBackend } from "../src/index.ts";
import { rampTone, realSession, sleep } from "../src/test-support/loopback.ts";
import { startPulseDaemon } from "../src/test-support/pulse-daemon.ts";

const rounds = Number(process.env.BENCH_ROUNDS ?? 30);
const steadyMs = Number(process.env.BENCH_STEADY_MS ?? 5000);
const RATE = 24000;
const TICK_MS = 1000 / 100; // USER_HZ

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! * 10) / 10;
}

function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return Number(fields[11]) + Number(fields[12]);
}

async function roundTrip(server: string, leadMs: number, latencyMs: number) {
  const transport = new LocalAudioBackend({
    sampleRate: RATE,
    driver: "pulse",
    pulseServer: server,
    outputDevice: "rk_test",
    inputDevice: "rk_test.monitor",
    muteMicDuringPlayback: false,
    rtPrebufferMs: 0,
    outputLeadMs: leadMs,
    deviceLatencyMs: latencyMs,
  });
  let waiting: { marker: number; sentAt: number; resolve: (ms: number) => void } | undefined;
  transport.onAudioReceived((_session, audio) => {
    const bytes = audio instanceof Uint8Array ? audio : audio.data;
    const samples = new Int16Array(bytes.slice().buffer);
    if (waiting && samples.includes(waiting.marker)) {
      waiting.resolve(performance.now() - waiting.sentAt);
      waiting = undefined;
    }
  });
  const session = realSession();
  await transport.accept(session, null);
  await sleep(300);
  const times: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const block = rampTone(480, round * 480);
    const marker = block[0]!;
    const measured = new Promise<number>((resolve) => {
      waiting = { marker, sentAt: performance.now(), resolve };
    });
    transport.sendAudio(session, new Uint8Array(block.buffer));
    transport.endOfResponse(session);
    const ms = await Promise.race([measured, sleep(1000).then(() => Number.NaN)]);
    if (Number.isFinite(ms)) times.push(ms);
    await sleep(120);
  }
  await transport.close();
  return {
    leadMs,
    deviceLatencyMs: latencyMs,
    rounds,
    received: times.length,
    p50Ms: percentile(times, 50),
    p99Ms: percentile(times, 99),
  };
}

/** Audio that reached the monitor after interrupt(): last sample heard ever − last sample heard before the call. */
async function interruptTail(server: string, leadMs: number, latencyMs: number) {
  const transport = new LocalAudioBackend({
    sampleRate: RATE,
    driver: "pulse",
    pulseServer: server,
    outputDevice: "rk_test",
    inputDevice: "rk_test.monitor",
    muteMicDuringPlayback: false,
    outputLeadMs: leadMs,
    deviceLatencyMs: latencyMs,
  });
  let lastIndex = -1;
  transport.onAudioReceived((_session, audio) => {
    const bytes = audio instanceof Uint8Array ? audio : audio.data;
    for (const sample of new Int16Array(bytes.slice().buffer)) if (sample >= 1000) lastIndex = sample - 1000;
  });
  const session = realSession();
  await transport.accept(session, null);
  const tails: number[] = [];
  for (let round = 0; round < 5; round++) {
    transport.sendAudio(session, new Uint8Array(rampTone(RATE).buffer));
    await sleep(300 + round * 17);
    const before = lastIndex;
    transport.interrupt(session);
    await sleep(300);
    tails.push(((lastIndex - before) / RATE) * 1000);
  }
  await transport.close();
  return {
    leadMs,
    deviceLatencyMs: latencyMs,
    tailMsMax: Math.round(Math.max(...tails) * 10) / 10,
    tailMsP50: percentile(tails, 50),
  };
}

async function steadyCpu(server: string) {
  const transport = new LocalAudioBackend({
    sampleRate: RATE,
    driver: "pulse",
    pulseServer: server,
    outputDevice: "rk_test",
    inputDevice: "rk_test.monitor",
    muteMicDuringPlayback: false,
  });
  let micBlocks = 0;
  transport.onAudioReceived(() => void micBlocks++);
  const session = realSession();
  await transport.accept(session, null);
  const feed = setInterval(() => transport.sendAudio(session, new Uint8Array(rampTone(960).buffer)), 40);
  await sleep(500);
  const pids = transport.helperPids;
  micBlocks = 0;
  const before = { self: process.cpuUsage(), helpers: pids.map(cpuTicks), at: performance.now() };
  await sleep(steadyMs);
  const elapsed = performance.now() - before.at;
  const self = process.cpuUsage(before.self);
  const helpers = pids.map((pid, index) => ((cpuTicks(pid) - before.helpers[index]!) * TICK_MS * 100) / elapsed);
  clearInterval(feed);
  const underruns = transport.rtUnderruns;
  await transport.close();
  return {
    durationMs: Math.round(elapsed),
    processCpuPercent: Math.round(((self.user + self.system) / 1000 / elapsed) * 1000) / 10,
    pacatCpuPercent: Math.round(helpers[0]! * 10) / 10,
    parecCpuPercent: Math.round(helpers[1]! * 10) / 10,
    micBlocksPerSecond: Math.round((micBlocks / elapsed) * 1000),
    underruns,
  };
}

const daemon = await startPulseDaemon(RATE);
try {
  const result = {
    bench: "transport-local",
    runtime: `bun ${Bun.version}`,
    blockMs: 20,
    sampleRate: RATE,
    roundTrip: [await roundTrip(daemon.server, 40, 20), await roundTrip(daemon.server, 20, 10)],
    interruptTail: [await interruptTail(daemon.server, 40, 20), await interruptTail(daemon.server, 20, 10)],
    interruptNote: "ms of audio that reached the monitor after interrupt() (upper bound: includes capture latency)",
    steadyState: await steadyCpu(daemon.server),
    cpuNote: "percent of one core; helper CPU from /proc/<pid>/stat (10 ms ticks)",
  };
  console.log(JSON.stringify(result, null, 2));
} finally {
  await daemon.stop();
}
