// Benchmark: GeminiLiveProvider through the unmodified @google/genai SDK against the Gemini Live fake (loopback).
// Prints ONE JSON object. The fake runs in the same process, so "process CPU" includes the fake's work.
import { cpus, loadavg } from "node:os";
import { silentLogger, VoiceSession } from "@roomkit/spec";
import { callerAudioFrames, createGeminiLiveFake } from "@roomkit/testing";
import { GeminiLiveProvider } from "../src/index.ts";
import { ServerEventHandler } from "../src/server-event-handler.ts";
import type { GeminiSessionStats } from "../src/connection-events.ts";

const SEND_FRAMES = 3000; // 60 s of 20 ms frames at 16 kHz
const RECONNECTS = 200;

function cpuMicros(): number {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const round = (value: number, digits = 2) => Number(value.toFixed(digits));

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error("benchmark wait timed out");
    await Bun.sleep(1);
  }
}

async function setup(fakeOptions: Parameters<typeof createGeminiLiveFake>[0], outputSampleRate = 24000) {
  const fake = await createGeminiLiveFake(fakeOptions);
  const provider = new GeminiLiveProvider({ apiKey: "bench", baseUrl: fake.baseUrl, logger: silentLogger });
  const session = new VoiceSession({ id: "bench", roomId: "r", participantId: "p", channelId: "c" });
  await provider.connect(session, { inputSampleRate: 16000, outputSampleRate, serverVad: true });
  return { fake, provider, session };
}

async function benchSend() {
  // Manual VAD so that the fake does not answer: this isolates the send path.
  const fake = await createGeminiLiveFake();
  const provider = new GeminiLiveProvider({ apiKey: "bench", baseUrl: fake.baseUrl, logger: silentLogger });
  const session = new VoiceSession({ id: "bench", roomId: "r", participantId: "p", channelId: "c" });
  await provider.connect(session, { inputSampleRate: 16000, outputSampleRate: 24000, serverVad: false });
  await provider.sendActivityStart(session); // manual VAD: audio goes out inside an activity only
  const frame = callerAudioFrames({ durationMs: 20 })[0]!;
  for (let index = 0; index < 200; index++) provider.sendAudio(session, frame); // warm-up
  await until(() => fake.connections[0]!.audioMessages === 200, 10_000);
  const cpuStart = cpuMicros();
  const wallStart = performance.now();
  for (let index = 0; index < SEND_FRAMES; index++) provider.sendAudio(session, frame);
  const callWallMs = performance.now() - wallStart;
  const callCpu = cpuMicros() - cpuStart;
  await until(() => fake.connections[0]!.audioMessages === 200 + SEND_FRAMES, 30_000);
  const totalCpu = cpuMicros() - cpuStart;
  await provider.close();
  await fake.close();
  return {
    frames: SEND_FRAMES,
    provider_call_wall_us_per_frame: round((callWallMs * 1000) / SEND_FRAMES),
    provider_call_cpu_us_per_frame: round(callCpu / SEND_FRAMES),
    process_cpu_us_per_frame_incl_fake: round(totalCpu / SEND_FRAMES),
  };
}

async function benchReceive(outputSampleRate: number) {
  const text = "x".repeat(600); // 36 s of reply audio, 900 chunks of 40 ms at 24 kHz
  const { fake, provider, session } = await setup({ brain: () => ({ say: text }) }, outputSampleRate);
  let chunks = 0;
  let bytes = 0;
  let done = false;
  provider.onAudio((_s, audio) => {
    chunks++;
    bytes += audio.byteLength;
  });
  provider.onResponseEnd(() => {
    done = true;
  });
  const cpuStart = cpuMicros();
  const wallStart = performance.now();
  await provider.injectText(session, "go");
  await until(() => done, 60_000);
  const cpu = cpuMicros() - cpuStart;
  const wall = performance.now() - wallStart;
  await provider.close();
  await fake.close();
  return {
    output_sample_rate: outputSampleRate,
    chunks_40ms: chunks,
    audio_seconds: round(bytes / 2 / outputSampleRate, 1),
    process_cpu_us_per_chunk_incl_fake: round(cpu / chunks),
    wall_ms_total: round(wall, 1),
  };
}

/** The provider's own receive path (parse, apply, base64 decode), without socket or SDK parsing. */
function benchReceivePath(outputSampleRate: number) {
  const data = Buffer.from(callerAudioFrames({ durationMs: 40, sampleRate: 24000 })[0]!).toString("base64");
  const message = {
    serverContent: { modelTurn: { parts: [{ inlineData: { mimeType: "audio/pcm;rate=24000", data } }] } },
  };
  let bytes = 0;
  const ignore = () => {};
  const handler = new ServerEventHandler({
    session: new VoiceSession({ id: "b", roomId: "r", participantId: "p", channelId: "c" }),
    events: {
      audio: (pcm) => void (bytes += pcm.byteLength),
      transcription: ignore,
      speechStart: ignore,
      speechEnd: ignore,
      toolCall: ignore,
      toolCallCancel: ignore,
      responseStart: ignore,
      responseEnd: ignore,
      error: ignore,
      usage: ignore,
    },
    logger: silentLogger,
    stats: { turns: 0, toolCalls: 0, toolCallsCancelled: 0 } as GeminiSessionStats,
    pendingCalls: new Map(),
    textMode: false,
    onHandle: ignore,
    onToolCallsSettled: ignore,
    onTurnComplete: ignore,
    onGoAway: ignore,
  });
  const count = 20_000;
  for (let index = 0; index < 1000; index++) handler.handle(message as never);
  const start = performance.now();
  for (let index = 0; index < count; index++) handler.handle(message as never);
  const elapsed = performance.now() - start;
  return {
    output_sample_rate: outputSampleRate,
    chunks_40ms: count,
    us_per_chunk: round((elapsed * 1000) / count),
    bytes_out: bytes,
  };
}

async function benchReconnect() {
  // BENCH_OVERLAP=accept lets a build that resumes before closing run against the fake (A/B comparisons).
  const overlappingResume = process.env.BENCH_OVERLAP === "accept" ? "accept" : "reject";
  const { fake, provider, session } = await setup({ goAwayLeadMs: 60_000, overlappingResume });
  const frame = callerAudioFrames({ durationMs: 20, silent: true })[0]!;
  let sent = 0;
  const timer = setInterval(() => {
    provider.sendAudio(session, frame);
    sent++;
  }, 20);
  const fakeSide: number[] = [];
  const providerSide: number[] = [];
  try {
    await until(() => sent >= 5, 5000);
    for (let iteration = 0; iteration < RECONNECTS; iteration++) {
      const index = fake.connections.length + 1;
      const next = fake.waitForConnection({ index, timeoutMs: 10_000 });
      const firstAudio = fake.waitForClientMessage(
        (message, entry) => entry.connectionId === index && message.realtimeInput?.audio !== undefined,
        {
          timeoutMs: 10_000,
        },
      );
      const start = performance.now();
      fake.faults.goAway(60_000);
      await next;
      const entry = await firstAudio;
      fakeSide.push(entry.at - start);
      providerSide.push(provider.sessionStats(session.id)!.lastReconnectMs ?? Number.NaN);
      await Bun.sleep(30);
    }
  } finally {
    clearInterval(timer);
  }
  const stats = provider.sessionStats(session.id)!;
  await until(() => fake.conversations[0]!.audioMessages === sent + stats.audioFramesReplayed, 10_000).catch(
    () => undefined,
  );
  const received = fake.conversations[0]!.audioMessages - stats.audioFramesReplayed;
  const result = {
    reconnects: RECONNECTS,
    goaway_to_first_audio_on_new_connection_ms: {
      p50: round(percentile(fakeSide, 50)),
      p99: round(percentile(fakeSide, 99)),
      max: round(Math.max(...fakeSide)),
    },
    provider_goaway_receipt_to_active_ms: {
      p50: round(percentile(providerSide, 50)),
      p99: round(percentile(providerSide, 99)),
    },
    frames_sent: sent,
    frames_received_once: received,
    frames_lost: sent - received,
    frames_replayed_since_handle: stats.audioFramesReplayed,
    frames_buffered_during_reconnects: stats.audioFramesBuffered,
    target_ms: 50,
  };
  await provider.close();
  await fake.close();
  return result;
}

/** Unexpected drops (1006): time to the first audio on the new connection; frames identified by id to count losses. */
async function benchDropReconnect() {
  const { fake, provider, session } = await setup({});
  let sent = 0;
  const timer = setInterval(() => {
    const frame = new Uint8Array(640);
    new DataView(frame.buffer).setInt16(0, sent, true);
    provider.sendAudio(session, frame);
    sent++;
  }, 20);
  const times: number[] = [];
  const drops = 50;
  try {
    await until(() => sent >= 5, 5000);
    for (let iteration = 0; iteration < drops; iteration++) {
      const index = fake.connections.length + 1;
      const firstAudio = fake.waitForClientMessage(
        (message, entry) => entry.connectionId === index && message.realtimeInput?.audio !== undefined,
        { timeoutMs: 10_000 },
      );
      const start = performance.now();
      fake.faults.dropSocket();
      times.push((await firstAudio).at - start);
      await Bun.sleep(30);
    }
  } finally {
    clearInterval(timer);
  }
  await Bun.sleep(100);
  const seen = new Set<number>();
  for (const entry of fake.received) {
    const data = entry.message.realtimeInput?.audio?.data;
    if (data) seen.add(Buffer.from(data, "base64").readInt16LE(0));
  }
  const result = {
    drops,
    drop_to_first_audio_on_new_connection_ms: { p50: round(percentile(times, 50)), p99: round(percentile(times, 99)) },
    frames_sent: sent,
    distinct_frames_received: seen.size,
    frames_lost: sent - seen.size,
  };
  await provider.close();
  await fake.close();
  return result;
}

async function main(): Promise<void> {
  const started = performance.now();
  if (process.env.BENCH_ONLY === "reconnect") {
    // A/B runs of the reconnect paths alone (the same JSON keys as the full run).
    const reconnect = await benchReconnect();
    const dropReconnect = await benchDropReconnect();
    console.log(JSON.stringify({ reconnect, reconnect_after_unexpected_drop: dropReconnect }));
    return;
  }
  const send = await benchSend();
  // Gemini speaks 24 kHz only (declared in its capabilities); resampling is the channel's job.
  const receive24k = await benchReceive(24000);
  const receivePath = [benchReceivePath(24000)];
  const reconnect = await benchReconnect();
  const dropReconnect = await benchDropReconnect();
  console.log(
    JSON.stringify({
      benchmark: "@roomkit/provider-gemini on @google/genai 3.3.0 ↔ Gemini Live fake (loopback, same process)",
      runtime: `bun ${Bun.version}`,
      machine: {
        cpus: cpus().length,
        loadavg_1m_at_start: round(loadavg()[0]!),
        note: "shared 2-core machine, other sessions running",
      },
      send_20ms_frames: send,
      receive_audio_through_sdk: [receive24k],
      receive_path_provider_only: receivePath,
      reconnect,
      reconnect_after_unexpected_drop: dropReconnect,
      duration_s: round((performance.now() - started) / 1000, 1),
    }),
  );
}

await main();
