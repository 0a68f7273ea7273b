// Benchmark of @roomkit/transport-webrtc. Prints ONE JSON object:
// - codec: opusscript decode/encode µs per 20 ms frame (median of 5 batches of 1000 frames);
// - frame: the transport's per-frame work beside the codec (inbound: sequence check + Opus decode vs the bare
//   decode; PCMU decode + resample; outbound: μ-law + base64 + JSON of one 20 ms frame);
// - sessions: N werift client peers (a separate process) streaming real-time Opus to the transport (its own
//   process): server CPU per session, RSS per session, event-loop lag p50/p99 (a 10 ms timer's lateness), added
//   latency p50/p99/max (a packet's arrival at the server's UDP socket → onAudioReceived for it), frames the client managed to send (vs 50/s per session) and the share of
//   them that reached onAudioReceived. Both processes share this machine's cores (and other jobs on it).
// Env: BENCH_SESSIONS="20,50,100", BENCH_DURATION_MS=5000.
import { encodeMulaw, generateTone } from "@roomkit/audio";
import { opusscriptCodec } from "../src/codecs/opus-codec.ts";
import { InboundAudioDecoder } from "../src/peer/inbound-audio.ts";
import { mediaMessages } from "../src/peer/outbound-audio.ts";
import { sessionRun } from "./session-run.ts";

const sessionCounts = (process.env.BENCH_SESSIONS ?? "20,50,100").split(",").map(Number);
const durationMs = Number(process.env.BENCH_DURATION_MS ?? 5000);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** µs per call: median of 5 batches of `count` calls, after a warm-up batch. */
function measure(count: number, run: (index: number) => void): number {
  for (let index = 0; index < count; index++) run(index);
  const batches: number[] = [];
  for (let batch = 0; batch < 5; batch++) {
    const start = performance.now();
    for (let index = 0; index < count; index++) run(index);
    batches.push(((performance.now() - start) * 1000) / count);
  }
  return Number(median(batches).toFixed(2));
}

function codecFigures() {
  const tone48 = generateTone({ frequency: 440, durationMs: 20, sampleRate: 48000, amplitude: 0.5 });
  const tone24 = generateTone({ frequency: 1000, durationMs: 20, sampleRate: 24000, amplitude: 0.5 });
  const encoder48 = opusscriptCodec.createEncoder(48000);
  const packets = Array.from({ length: 50 }, () => encoder48.encode(tone48));
  const encoder24 = opusscriptCodec.createEncoder(24000);
  const figures: Record<string, number> = {};
  for (const rate of [16000, 24000, 48000]) {
    const decoder = opusscriptCodec.createDecoder(rate);
    figures[`opusDecodeUsPerFrame_${rate / 1000}k`] = measure(1000, (index) => decoder.decode(packets[index % 50]!));
    decoder.free();
  }
  figures.opusEncodeUsPerFrame_24k = measure(1000, () => encoder24.encode(tone24));
  figures.opusEncodeUsPerFrame_48k = measure(1000, () => encoder48.encode(tone48));
  encoder48.free();
  encoder24.free();

  // The inbound path's own work: the same packets through InboundAudioDecoder (sequence check, decode) vs bare.
  // Interleaved (A B A B ...) so machine noise hits both alike; medians of 7 pairs.
  const bare = opusscriptCodec.createDecoder(16000);
  const path = new InboundAudioDecoder(16000, opusscriptCodec);
  let sequence = 0;
  const bareRuns: number[] = [];
  const pathRuns: number[] = [];
  for (let pair = 0; pair < 7; pair++) {
    bareRuns.push(measure(500, (index) => bare.decode(packets[index % 50]!)));
    pathRuns.push(measure(500, (index) => path.decode("opus", ++sequence & 0xffff, packets[index % 50]!)));
  }
  const bareUs = median(bareRuns);
  const pathUs = median(pathRuns);
  bare.free();
  path.free();
  const pcmu = encodeMulaw(generateTone({ frequency: 440, durationMs: 20, sampleRate: 8000 }));
  const g711 = new InboundAudioDecoder(16000, opusscriptCodec);
  let g711Sequence = 0;
  const pcmuUs = measure(2000, () => g711.decode("pcmu", ++g711Sequence & 0xffff, pcmu));
  return {
    codec: figures,
    frame: {
      inboundOpusPathUsPerFrame: pathUs,
      inboundOpusBareDecodeUs: bareUs,
      inboundOverheadUsPerFrame: Number((pathUs - bareUs).toFixed(2)),
      inboundPcmuDecodeResampleUsPerFrame_16k: pcmuUs,
      outboundMulawJsonUsPerFrame_24k: measure(2000, () => mediaMessages(tone24)),
    },
  };
}

const result: Record<string, unknown> = {
  package: "@roomkit/transport-webrtc",
  runtime: `bun ${Bun.version}`,
  ...codecFigures(),
};
const runs = [];
for (const count of sessionCounts) runs.push(await sessionRun(count, durationMs));
result.sessions = runs;
result.durationMs = durationMs;
console.log(JSON.stringify(result, null, 2));
