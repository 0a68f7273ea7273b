// Benchmark of @roomkit/audio: one 20 ms frame at a time (the real workload), single thread (= per core).
// Prints ONE JSON object. Run: bun run bench (in packages/audio).
import { cpus, loadavg } from "node:os";
import { create } from "@alexanderolsen/libsamplerate-js";
import { heapStats } from "bun:jsc";
import { decodeAlaw, decodeMulaw, encodeAlaw, encodeMulaw } from "../src/codecs/g711.ts";
import { G722Decoder, G722Encoder } from "../src/codecs/g722.ts";
import { generateNoise } from "../src/pcm/generators.ts";
import { type Convert, measureTone, measureToneWith, sweep } from "../src/test-support/resampler-measure.ts";
import { createResampler } from "../src/resampler/streaming-resampler.ts";
import { readFixture, readPcmFixture } from "../src/test-support/fixtures.ts";
import { benchBytes } from "./bytes.ts";

const TRIALS = 5;
const loadBefore = loadavg();

/**
 * x real time for `frames` calls of `run` on 20 ms frames, median over TRIALS: `cpu` divides the audio duration by this
 * process's CPU time (user + system; the per-core figure, robust to other load on the machine), `wall` by wall time.
 */
function realTimeFactor(run: () => unknown, frames: number): { cpu: number; wall: number } {
  for (let i = 0; i < Math.min(frames, 2000); i++) run();
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let trial = 0; trial < TRIALS; trial++) {
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    for (let i = 0; i < frames; i++) run();
    const elapsed = performance.now() - start;
    const used = process.cpuUsage(cpuStart);
    wall.push((frames * 20) / elapsed);
    cpu.push((frames * 20) / ((used.user + used.system) / 1000));
  }
  const median = (values: number[]) => Math.round(values.sort((a, b) => a - b)[TRIALS >> 1]);
  return { cpu: median(cpu), wall: median(wall) };
}

/**
 * Objects allocated per call beyond the output, from JSC heap statistics: per-type object-count deltas over `calls`
 * calls with no GC in between (heapSize must not shrink, else the sample is retried), minus the overhead of an empty
 * loop. The output of these APIs is one Uint8Array, possibly over an Int16Array and its ArrayBuffer.
 */
/** JSC-internal cells the JIT and heapStats() itself create (shapes, code blocks), not allocations by the code. */
const VM_METADATA = /^(Structure|SymbolTable|PropertyTable|.*CodeBlock|.*Executable)$/;

function allocationPerCall(run: () => unknown, calls = 400): Record<string, number> {
  const sample = (fn: () => unknown) => {
    for (let attempt = 0; attempt < 5; attempt++) {
      Bun.gc(true);
      const before = heapStats();
      for (let i = 0; i < calls; i++) fn();
      const after = heapStats();
      if (after.heapSize < before.heapSize) continue;
      const delta: Record<string, number> = {};
      for (const [type, count] of Object.entries(after.objectTypeCounts)) {
        delta[type] = (count - (before.objectTypeCounts[type] ?? 0)) / calls;
      }
      return delta;
    }
    throw new Error("a GC ran during every allocation sample");
  };
  for (let i = 0; i < 2000; i++) run();
  const baseline = sample(() => undefined);
  const measured = sample(run);
  const output = new Set(["Uint8Array", "Int16Array", "ArrayBuffer"]);
  const extra: Record<string, number> = {};
  for (const [type, perCall] of Object.entries(measured)) {
    if (VM_METADATA.test(type)) continue;
    let value = perCall - (baseline[type] ?? 0);
    if (output.has(type)) value -= 1;
    if (value > 0.05) extra[type] = Math.round(value * 100) / 100;
  }
  return extra;
}

function snrAgainstSox(output: Int16Array, fromRate: number, toRate: number): { snrDb: number; lagSamples: number } {
  const sox = readPcmFixture(`resample-${fromRate}-to-${toRate}.sox.s16`);
  const edge = toRate / 50;
  let best = { snrDb: -Infinity, lagSamples: 0 };
  for (let lag = -50; lag <= 400; lag++) {
    let signal = 0;
    let error = 0;
    for (let i = edge; i < sox.length - edge; i++) {
      const j = i + lag;
      const value = j >= 0 && j < output.length ? output[j] : 0;
      signal += sox[i] * sox[i];
      error += (sox[i] - value) ** 2;
    }
    const snrDb = 10 * Math.log10(signal / error);
    if (snrDb > best.snrDb) best = { snrDb: Math.round(snrDb * 10) / 10, lagSamples: lag };
  }
  return best;
}

const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;
const DIRECTIONS: Array<[number, number]> = [
  [24000, 16000],
  [16000, 24000],
  [24000, 8000],
  [8000, 16000],
  [16000, 8000],
  [48000, 16000],
  [16000, 48000],
  [44100, 16000],
];
const WITH_SOX = new Set(["24000->16000", "24000->8000", "16000->8000", "8000->16000", "48000->16000", "44100->16000"]);
WITH_SOX.add("16000->24000");

// ---- our resampler -----------------------------------------------------------------------------------------------
const ours: Record<string, unknown> = {};
for (const [fromRate, toRate] of DIRECTIONS) {
  const key = `${fromRate}->${toRate}`;
  const frame = generateNoise({ sampleRate: fromRate, durationMs: 20, seed: 11 });
  const resampler = createResampler({ fromRate, toRate });
  const entry: Record<string, unknown> = {
    xRealTime: realTimeFactor(() => resampler.process(frame), 4000),
    latencyMs: round((resampler.delaySamples / toRate) * 1000, 2),
    ...roundSweep(sweep((f) => measureTone(fromRate, toRate, f), fromRate, toRate, 24)),
  };
  if (WITH_SOX.has(key)) {
    const whole = createResampler({ fromRate, toRate });
    const source = readFixture(`resample-src-${fromRate}.s16`);
    const out = new Uint8Array([...whole.process(source), ...whole.flush()]);
    entry.vsSox = snrAgainstSox(new Int16Array(out.buffer), fromRate, toRate);
  }
  ours[key] = entry;
}

function roundSweep(summary: { passbandRippleDb: number; stopbandDb: number }) {
  return { passbandRippleDb: round(summary.passbandRippleDb, 4), stopbandDb: round(summary.stopbandDb, 1) };
}

// ---- libsamplerate-js (WASM libsamplerate), same frames, PCM16 <-> float conversion included --------------------
const CONVERTERS = { sincBest: 0, sincMedium: 1, sincFastest: 2 } as const;
const QUALITY_DIRECTIONS: Array<[number, number]> = [
  [24000, 16000],
  [16000, 24000],
  [24000, 8000],
];
type Src = Awaited<ReturnType<typeof create>>;

function libsamplerateFrame(src: Src, fromRate: number, toRate: number) {
  const inputFloat = new Float32Array(fromRate / 50);
  const outputFloat = new Float32Array(Math.ceil(toRate / 50) + 64);
  const written = { frames: 0 };
  return (pcm: Int16Array): Int16Array => {
    for (let i = 0; i < pcm.length; i++) inputFloat[i] = pcm[i] / 32768;
    src.full(inputFloat.subarray(0, pcm.length), outputFloat, written);
    const out = new Int16Array(written.frames);
    for (let i = 0; i < written.frames; i++) {
      const value = Math.round(outputFloat[i] * 32768);
      out[i] = Math.min(Math.max(value, -32768), 32767);
    }
    return out;
  };
}

async function libsamplerateConvert(type: 0 | 1 | 2, fromRate: number, toRate: number): Promise<Convert> {
  const src = await create(1, fromRate, toRate, { converterType: type });
  const step = libsamplerateFrame(src, fromRate, toRate);
  return (input) => {
    const parts: Int16Array[] = [];
    for (let offset = 0; offset < input.length; offset += fromRate / 50)
      parts.push(step(input.subarray(offset, offset + fromRate / 50)));
    const out = new Int16Array(parts.reduce((sum, part) => sum + part.length, 0));
    let offset = 0;
    for (const part of parts) {
      out.set(part, offset);
      offset += part.length;
    }
    return out;
  };
}

const libsamplerate: Record<string, unknown> = {};
for (const [name, type] of Object.entries(CONVERTERS)) {
  const perDirection: Record<string, unknown> = {};
  for (const [fromRate, toRate] of QUALITY_DIRECTIONS) {
    const frame = new Int16Array(generateNoise({ sampleRate: fromRate, durationMs: 20, seed: 11 }).slice().buffer);
    const step = libsamplerateFrame(await create(1, fromRate, toRate, { converterType: type }), fromRate, toRate);
    const xRealTime = realTimeFactor(() => step(frame), 400);
    // Streaming latency: output samples still withheld after 1 s of 20 ms frames (ours withholds none; its delay is
    // the group delay instead).
    const probe = libsamplerateFrame(await create(1, fromRate, toRate, { converterType: type }), fromRate, toRate);
    let returned = 0;
    for (let i = 0; i < 50; i++) returned += probe(frame).length;
    const withheldMs = round(((toRate - returned) / toRate) * 1000, 2);
    const tones = new Map<number, Convert>();
    const measure = (frequency: number) => {
      const convert = tones.get(frequency);
      if (!convert) throw new Error("missing converter");
      return measureToneWith(convert, fromRate, toRate, frequency, 300, Math.round(toRate * 0.1));
    };
    // A fresh converter per tone (converters keep state); create them up front because create() is async.
    const lower = Math.min(fromRate, toRate);
    const frequencies: number[] = [];
    for (let i = 1; i <= 12; i++) frequencies.push((0.45 * lower * i) / 12);
    if (fromRate > toRate) {
      for (let i = 0; i <= 12; i++) frequencies.push(0.55 * lower + ((fromRate / 2 - 0.55 * lower) * 0.999 * i) / 12);
    }
    for (const frequency of frequencies) tones.set(frequency, await libsamplerateConvert(type, fromRate, toRate));
    const summary = roundSweep(sweep(measure, fromRate, toRate, 12));
    const whole = await libsamplerateConvert(type, fromRate, toRate);
    const source = readPcmFixture(`resample-src-${fromRate}.s16`);
    const padded = new Int16Array(source.length + fromRate / 10);
    padded.set(source);
    const vsSox = snrAgainstSox(whole(padded), fromRate, toRate);
    perDirection[`${fromRate}->${toRate}`] = {
      xRealTime,
      ...summary,
      vsSox,
      latencyMs: withheldMs,
    };
  }
  libsamplerate[name] = perDirection;
}

// ---- codecs ----------------------------------------------------------------------------------------------------
const pcm8k = generateNoise({ sampleRate: 8000, durationMs: 20, seed: 3 });
const mulawFrame = encodeMulaw(pcm8k);
const alawFrame = encodeAlaw(pcm8k);
const pcm16k = readFixture("g722-speech.s16").subarray(0, 640);
const encoder = new G722Encoder();
const decoder = new G722Decoder();
const g722Frame = new G722Encoder().encode(pcm16k);

const codecs = {
  mulawEncodeDecodeXRealTime: realTimeFactor(() => decodeMulaw(encodeMulaw(pcm8k)), 50_000),
  alawEncodeDecodeXRealTime: realTimeFactor(() => decodeAlaw(encodeAlaw(pcm8k)), 50_000),
  g722EncodeDecodeXRealTime: realTimeFactor(() => decoder.decode(encoder.encode(pcm16k)), 5000),
  g722EncodeXRealTime: realTimeFactor(() => encoder.encode(pcm16k), 5000),
  g722DecodeXRealTime: realTimeFactor(() => decoder.decode(g722Frame), 5000),
};

// ---- allocation per frame beyond the output buffer ------------------------------------------------------------------
const resampler24to16 = createResampler({ fromRate: 24000, toRate: 16000 });
const resampler16to24 = createResampler({ fromRate: 16000, toRate: 24000 });
const resampler24to8 = createResampler({ fromRate: 24000, toRate: 8000 });
const frame24k = generateNoise({ sampleRate: 24000, durationMs: 20, seed: 2 });
const frame16k = generateNoise({ sampleRate: 16000, durationMs: 20, seed: 2 });
const allocation = {
  method:
    "bun:jsc heapStats().objectTypeCounts deltas over 400 calls with no GC in between (retried if the heap shrank), " +
    "minus an empty loop; one output Uint8Array (+ its Int16Array/ArrayBuffer) per call subtracted; JSC metadata " +
    "cells (Structure, SymbolTable, PropertyTable, code blocks, executables) ignored. {} = nothing else.",
  extraObjectsPerCall: {
    resampler24to16: allocationPerCall(() => resampler24to16.process(frame24k)),
    resampler16to24: allocationPerCall(() => resampler16to24.process(frame16k)),
    resampler24to8: allocationPerCall(() => resampler24to8.process(frame24k)),
    mulawEncode: allocationPerCall(() => encodeMulaw(pcm8k)),
    mulawDecode: allocationPerCall(() => decodeMulaw(mulawFrame)),
    alawDecode: allocationPerCall(() => decodeAlaw(alawFrame)),
    g722Encode: allocationPerCall(() => encoder.encode(pcm16k)),
    g722Decode: allocationPerCall(() => decoder.decode(g722Frame)),
  },
  controlThatMustShowAllocations: allocationPerCall(() => {
    const captured = [1];
    return () => captured;
  }),
};

console.log(
  JSON.stringify({
    package: "@roomkit/audio",
    frame: "20 ms, one call per frame, single thread",
    statistic: `median of ${TRIALS} trials; xRealTime.cpu = audio duration / process CPU time (per core), .wall = / wall time`,
    latency:
      "ours: group delay (delaySamples, nothing withheld); libsamplerate: output withheld after 1 s of 20 ms frames (zero group delay)",
    machine: {
      cpus: cpus().length,
      model: cpus()[0]?.model,
      loadAverageBefore: loadBefore.map((value) => round(value, 2)),
      loadAverageAfter: loadavg().map((value) => round(value, 2)),
      bun: Bun.version,
      note: "shared 2-core machine; other agents were running builds and tests at the same time",
    },
    resampler: { ours, libsamplerateJs: libsamplerate },
    codecs,
    allocation,
    bytes: benchBytes(),
  }),
);
