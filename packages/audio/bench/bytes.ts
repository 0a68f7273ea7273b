// Bench of the shared byte helpers against the copies they replaced (bench/legacy-bytes.ts): ns per call, median of
// TRIALS, on audio-sized payloads. Run alone: bun run bench/bytes.ts (prints one JSON object); bench/index.ts
// includes it.
import { decodeBase64, encodeBase64 } from "../src/bytes/base64.ts";
import { generateNoise } from "../src/pcm/generators.ts";
import { Pcm16Aligner } from "../src/pcm/pcm16-aligner.ts";
import {
  channelAlignProviderAudio,
  clientBase64ToBytes,
  clientBytesToBase64,
  geminiDecodeBase64,
  geminiEncodeBase64,
  OpenAIPcm16Aligner,
  openaiDecodeBase64,
  openaiEncodeBase64,
} from "./legacy-bytes.ts";

const TRIALS = 9;

/**
 * Median ns per call of each contender over `calls` calls, trials interleaved and rotated (A B C, B C A, ...) so that
 * machine drift and position in the round hit every contender alike; results go to a sink so no work is optimised away.
 */
function compare<Name extends string>(contenders: Record<Name, () => number>, calls: number): Record<Name, number> {
  let sink = 0;
  const names = Object.keys(contenders) as Name[];
  const samples = new Map<Name, number[]>(names.map((name) => [name, []]));
  // Trials -1 and -2 warm every contender up at the shared call site and are not counted: without them the first
  // contender measured a steady 5-20% slower than the same code listed second.
  for (let trial = -2; trial < TRIALS; trial++) {
    for (let slot = 0; slot < names.length; slot++) {
      const name = names[(slot + trial + 2) % names.length]!;
      const run = contenders[name];
      const start = Bun.nanoseconds();
      for (let i = 0; i < calls; i++) sink += run();
      if (trial >= 0) samples.get(name)!.push((Bun.nanoseconds() - start) / calls);
    }
  }
  if (sink === -1) console.log(sink);
  const median = (values: number[]) => Math.round(values.sort((a, b) => a - b)[TRIALS >> 1]! * 10) / 10;
  return Object.fromEntries(names.map((name) => [name, median(samples.get(name)!)])) as Record<Name, number>;
}

function base64Case(bytes: Uint8Array, calls: number) {
  const text = encodeBase64(bytes);
  return {
    encode: compare(
      {
        shared: () => encodeBase64(bytes).length,
        openaiAndTransportWs: () => openaiEncodeBase64(bytes).length,
        geminiBuffer: () => geminiEncodeBase64(bytes).length,
        browserClientBtoa: () => clientBytesToBase64(bytes).length,
      },
      calls,
    ),
    decode: compare(
      {
        shared: () => decodeBase64(text)!.byteLength,
        openaiAndTransportWs: () => openaiDecodeBase64(text)!.byteLength,
        geminiBuffer: () => geminiDecodeBase64(text).byteLength,
        browserClientAtob: () => clientBase64ToBytes(text).byteLength,
      },
      calls,
    ),
  };
}

/** Aligns a stream cut into `chunks` (replayed in a loop); ns per chunk. */
function alignerCase(chunks: Uint8Array[], calls: number) {
  const shared = new Pcm16Aligner();
  const openai = new OpenAIPcm16Aligner();
  const state = { outboundCarry: -1 };
  const cursors = { shared: 0, openai: 0, channel: 0 };
  return compare(
    {
      shared: () => shared.align(chunks[cursors.shared++ % chunks.length]!, "item").byteLength,
      openai: () => openai.align("item", chunks[cursors.openai++ % chunks.length]!).byteLength,
      channel: () => channelAlignProviderAudio(state, chunks[cursors.channel++ % chunks.length]!).byteLength,
    },
    calls,
  );
}

export function benchBytes() {
  const frame20ms = new Uint8Array(generateNoise({ sampleRate: 24000, durationMs: 20, seed: 5 }).buffer);
  const delta200ms = new Uint8Array(generateNoise({ sampleRate: 24000, durationMs: 200, seed: 6 }).buffer);
  const oddChunks = [frame20ms.subarray(0, 481), frame20ms.subarray(481, 960), frame20ms.subarray(1, 962 - 1)];
  return {
    unit: `ns per call, median of ${TRIALS} interleaved trials (lower is better)`,
    base64Frame20ms24k960B: base64Case(frame20ms, 100_000),
    base64Delta200ms24k9600B: base64Case(delta200ms, 20_000),
    pcm16AlignerEvenChunks960B: alignerCase([frame20ms], 1_000_000),
    pcm16AlignerOddChunksWithCarry: alignerCase(oddChunks, 300_000),
  };
}

if (import.meta.main) console.log(JSON.stringify({ bun: Bun.version, bytes: benchBytes() }, null, 2));
