// Benchmark, through a private PulseAudio daemon (null sink rk_test, mic = its monitor), pulse driver, 20 ms blocks:
// - round trip: sendAudio() → the transport's mic block holding the first sample (includes the output lead);
// - interrupt tail: audio that reached the sink monitor after interrupt(), seen by an independent low-latency probe
//   (`parec --latency-msec=5` on the monitor), with and without the driver's flush (pacat killed and restarted);
// - steady state: CPU of this process and of pacat/parec, speaker-buffer and device underruns while a response streams.
// Each setting is measured in alternating passes (A B A B …) and the medians reported. Prints ONE JSON object.
// Env: BENCH_PASSES=3, BENCH_ROUNDS=10 (per pass), BENCH_STEADY_MS=4000 (per pass).
import { readFileSync } from "node:fs";
import type { AudioDriver, LocalAudioOptions } from "../src/index.ts";
import { createPulseDriver } from "../src/index.ts";
import { closeOpenTransports, loopback, rampTone, sleep } from "../src/test-support/loopback.ts";
import { startMonitorProbe } from "../src/test-support/monitor-probe.ts";
import { type PulseDaemon, startPulseDaemon } from "../src/test-support/pulse-daemon.ts";

const passes = Number(process.env.BENCH_PASSES ?? 3);
const rounds = Number(process.env.BENCH_ROUNDS ?? 10);
const steadyMs = Number(process.env.BENCH_STEADY_MS ?? 4000);
const RATE = 24000;
const TICK_MS = 1000 / 100; // USER_HZ

interface Setting {
  label: string;
  options: LocalAudioOptions;
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! * 10) / 10;
}

function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return Number(fields[11]) + Number(fields[12]);
}

/** The pulse driver without `flush`: the audio already handed to pacat plays out after interrupt(). */
function withoutFlush(driver: AudioDriver): AudioDriver {
  return {
    name: `${driver.name}-no-flush`,
    openInput: (options, onBlock, onError) => driver.openInput(options, onBlock, onError),
    async openOutput(options, render, onError) {
      const output = await driver.openOutput(options, render, onError);
      return {
        get pids() {
          return output.pids;
        },
        queuedAheadMs: () => output.queuedAheadMs(),
        close: () => output.close(),
      };
    },
  };
}

/** One function serves every measurement: a transport on the loopback, optionally a feed of steady audio. */
async function measure(daemon: PulseDaemon, setting: Setting) {
  const { transport, session, mic } = await loopback(daemon, { muteMicDuringPlayback: false, ...setting.options });
  await sleep(300);
  // Round trip: a 20 ms block with a marker sample, played at once (endOfResponse releases the pre-buffer).
  const roundTrips: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const block = rampTone(480, (round * 480) % 29000);
    const count = mic.length;
    const sentAt = performance.now();
    transport.sendAudio(session, new Uint8Array(block.buffer));
    transport.endOfResponse(session);
    await sleep(250);
    const heard = mic.slice(count).find((entry) => entry.samples.includes(block[0]!));
    if (heard) roundTrips.push(heard.at - sentAt);
  }
  // Interrupt tail, at the monitor.
  const probe = startMonitorProbe(daemon);
  await sleep(200);
  const tails: number[] = [];
  for (let round = 0; round < rounds; round++) {
    transport.sendAudio(session, new Uint8Array(rampTone(RATE).buffer));
    await sleep(250 + ((round * 17) % 60));
    const atInterrupt = probe.state.received;
    transport.interrupt(session);
    await sleep(250);
    tails.push(probe.loudAfterMs(atInterrupt));
  }
  await probe.stop();
  // Steady state: 40 ms of audio every 40 ms (a provider streaming in real time).
  const feed = setInterval(() => transport.sendAudio(session, new Uint8Array(rampTone(960).buffer)), 40);
  await sleep(500);
  const pids = transport.helperPids;
  const before = {
    self: process.cpuUsage(),
    helpers: pids.map(cpuTicks),
    at: performance.now(),
    underruns: transport.rtUnderruns,
    deviceUnderruns: transport.deviceUnderruns,
  };
  await sleep(steadyMs);
  const elapsed = performance.now() - before.at;
  const self = process.cpuUsage(before.self);
  const helpers = pids.map((pid, index) => ((cpuTicks(pid) - before.helpers[index]!) * TICK_MS * 100) / elapsed);
  clearInterval(feed);
  const result = {
    roundTrips,
    tails,
    processCpuPercent: ((self.user + self.system) / 1000 / elapsed) * 100,
    helpersCpuPercent: helpers.reduce((sum, value) => sum + value, 0),
    speakerUnderruns: transport.rtUnderruns - before.underruns,
    deviceUnderruns: transport.deviceUnderruns - before.deviceUnderruns,
  };
  await closeOpenTransports();
  return result;
}

const daemon = await startPulseDaemon(RATE);
try {
  const noFlush = withoutFlush(createPulseDriver({ server: daemon.server }));
  const settings: Setting[] = [
    { label: "defaults (lead 40 / latency 20), flush", options: {} },
    { label: "defaults, no flush (before)", options: { driver: noFlush } },
    { label: "lead 20 / latency 10, flush", options: { outputLeadMs: 20, deviceLatencyMs: 10 } },
    { label: "lead 20 / latency 10, no flush", options: { outputLeadMs: 20, deviceLatencyMs: 10, driver: noFlush } },
  ];

  const runs = settings.map(() => [] as Array<Awaited<ReturnType<typeof measure>>>);
  for (let pass = 0; pass < passes; pass++) {
    for (const [index, setting] of settings.entries()) runs[index]!.push(await measure(daemon, setting));
  }
  const summary = settings.map((setting, index) => {
    const all = runs[index]!;
    const median = (pick: (run: (typeof all)[number]) => number) => percentile(all.map(pick), 50);
    const roundTrips = all.flatMap((run) => run.roundTrips);
    const tails = all.flatMap((run) => run.tails);
    return {
      setting: setting.label,
      roundTripMs: { p50: percentile(roundTrips, 50), p99: percentile(roundTrips, 99), n: roundTrips.length },
      interruptTailMs: { p50: percentile(tails, 50), max: percentile(tails, 100), n: tails.length },
      steadyState: {
        processCpuPercent: median((run) => run.processCpuPercent),
        helpersCpuPercent: median((run) => run.helpersCpuPercent),
        speakerUnderruns: all.reduce((sum, run) => sum + run.speakerUnderruns, 0),
        deviceUnderruns: all.reduce((sum, run) => sum + run.deviceUnderruns, 0),
        seconds: (passes * steadyMs) / 1000,
      },
    };
  });
  console.log(
    JSON.stringify(
      {
        bench: "transport-local",
        runtime: `bun ${Bun.version}`,
        blockMs: 20,
        sampleRate: RATE,
        passes,
        roundsPerPass: rounds,
        results: summary,
        notes: {
          interruptTail:
            "ms of tone the sink monitor received after interrupt(), by a parec probe at 5 ms latency (upper bound)",
          cpu: "percent of one core, median of passes; helpers = pacat + parec from /proc/<pid>/stat (10 ms ticks)",
          underruns: "summed over the steady-state windows; device = pacat's 'Stream underrun'",
        },
      },
      null,
      2,
    ),
  );
} finally {
  await closeOpenTransports();
  await daemon.stop();
}
