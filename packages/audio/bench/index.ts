// Benchmark of @roomkit/audio: one 20 ms frame at a time (the real workload), single thread (= per core).
// Prints ONE JSON object. Run: bun run bench (in packages/audio).
import { cpus, loadavg } from "node:os";
import { create } from "@alexanderolsen/libsamplerate-js";
import {
  decodeAlaw,
  decodeAlawInto,
  decodeMulaw,
  decodeMulawInto,
  encodeAlaw,
  encodeAlawInto,
  encodeMulaw,
  encodeMulawInto,
} from "../src/codecs/g711.ts";
import { G722Decoder, G722Encoder } from "../src/codecs/g722.ts";
import { generateNoise } from "../src/pcm/generators.ts";
import { type Convert, measureTone, measureToneWith, sweep } from "../src/test-support/resampler-measure.ts";
import { createResampler } from "../src/resampler/streaming-resampler.ts";
import { readFixture, readPcmFixture } from "../src/test-support/fixtures.ts";
import { objectsPerCall } from "@roomkit/test-support/allocation";
import { benchBytes } from "./bytes.ts";
import { interleaved } from "./interleave.ts";

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
  const reused = createResampler({ fromRate, toRate });
  const out = new Uint8Array(reused.maxOutputBytes(frame.byteLength));
  const entry: Record<string, unknown> = {
    kernel: resampler.kernel,
    xRealTime: realTimeFactor(() => resampler.process(frame), 4000),
    xRealTimeInto: realTimeFactor(() => reused.processInto(frame, out), 4000),
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

// ---- kernels A/B: the JavaScript fallback (the previous implementation) against wasm, interleaved --------------------
const KERNEL_DIRECTIONS: Array<[number, number]> = [
  [24000, 16000],
  [16000, 24000],
  [8000, 16000],
  [24000, 8000],
  [44100, 16000],
];
const resamplerKernels: Record<string, unknown> = {};
for (const [fromRate, toRate] of KERNEL_DIRECTIONS) {
  const frame = generateNoise({ sampleRate: fromRate, durationMs: 20, seed: 11 });
  const javascript = createResampler({ fromRate, toRate, kernel: "javascript" });
  const wasm = createResampler({ fromRate, toRate, kernel: "wasm" });
  const out = new Uint8Array(wasm.maxOutputBytes(frame.byteLength));
  resamplerKernels[`${fromRate}->${toRate}`] = interleaved(
    {
      javascriptProcess: () => javascript.process(frame),
      wasmProcess: () => wasm.process(frame),
      wasmProcessInto: () => wasm.processInto(frame, out),
    },
    2000,
  );
}

// ---- codecs ----------------------------------------------------------------------------------------------------
const pcm8k = generateNoise({ sampleRate: 8000, durationMs: 20, seed: 3 });
const mulawFrame = encodeMulaw(pcm8k);
const alawFrame = encodeAlaw(pcm8k);
const pcm16k = readFixture("g722-speech.s16").subarray(0, 640);
const encoder = new G722Encoder();
const decoder = new G722Decoder();
const g722Frame = new G722Encoder().encode(pcm16k);
const codeBuffer = new Uint8Array(640);
const pcmBuffer = new Uint8Array(1280);
const javascriptEncoder = new G722Encoder({ kernel: "javascript" });
const javascriptDecoder = new G722Decoder({ kernel: "javascript" });

const codecs = {
  mulawEncodeDecodeXRealTime: realTimeFactor(() => decodeMulaw(encodeMulaw(pcm8k)), 50_000),
  alawEncodeDecodeXRealTime: realTimeFactor(() => decodeAlaw(encodeAlaw(pcm8k)), 50_000),
  mulawEncodeDecodeIntoXRealTime: realTimeFactor(() => {
    encodeMulawInto(pcm8k, codeBuffer);
    return decodeMulawInto(mulawFrame, pcmBuffer);
  }, 50_000),
  alawEncodeDecodeIntoXRealTime: realTimeFactor(() => {
    encodeAlawInto(pcm8k, codeBuffer);
    return decodeAlawInto(alawFrame, pcmBuffer);
  }, 50_000),
  g722Kernel: encoder.kernel,
  g722EncodeDecodeXRealTime: realTimeFactor(() => decoder.decode(encoder.encode(pcm16k)), 5000),
  g722EncodeXRealTime: realTimeFactor(() => encoder.encode(pcm16k), 5000),
  g722DecodeXRealTime: realTimeFactor(() => decoder.decode(g722Frame), 5000),
  g722EncodeDecodeIntoXRealTime: realTimeFactor(() => {
    const bytes = encoder.encodeInto(pcm16k, codeBuffer);
    return decoder.decodeInto(codeBuffer.subarray(0, bytes), pcmBuffer);
  }, 5000),
  g722KernelsInterleaved: interleaved(
    {
      javascriptEncode: () => javascriptEncoder.encode(pcm16k),
      wasmEncode: () => encoder.encode(pcm16k),
      javascriptDecode: () => javascriptDecoder.decode(g722Frame),
      wasmDecode: () => decoder.decode(g722Frame),
    },
    2000,
  ),
};

// ---- allocation per 20 ms frame ----------------------------------------------------------------------------------
const frame24k = generateNoise({ sampleRate: 24000, durationMs: 20, seed: 2 });
const frame16k = generateNoise({ sampleRate: 16000, durationMs: 20, seed: 2 });
const intoBuffer = new Uint8Array(4096);
const g722Codes = new Uint8Array(160);
g722Codes.set(g722Frame);
const perFrame = (run: () => unknown, payloadBytes: number) => {
  const objects = objectsPerCall(run);
  const count = Object.values(objects).reduce((sum, value) => sum + value, 0);
  return { objects, objectCount: Math.round(count * 100) / 100, payloadBytes: count > 0.05 ? payloadBytes : 0 };
};
const allocatingResampler = (fromRate: number, toRate: number, frame: Uint8Array) => {
  const resampler = createResampler({ fromRate, toRate });
  return perFrame(() => resampler.process(frame), ((toRate / 50) * 2) | 0);
};
const reusingResampler = (fromRate: number, toRate: number, frame: Uint8Array, kernel: "wasm" | "javascript") => {
  const resampler = createResampler({ fromRate, toRate, kernel });
  return perFrame(() => resampler.processInto(frame, intoBuffer), 0);
};
const reusingEncoder = new G722Encoder();
const reusingDecoder = new G722Decoder();
const allocation = {
  method:
    "bun:jsc heapStats().objectTypeCounts deltas over 2,000 calls with no GC in between (retried if the heap shrank), " +
    "minus an empty loop; JSC metadata cells ignored. objectCount = objects allocated per 20 ms frame; payloadBytes = " +
    "the typed-array bytes those objects carry (the returned frame). Bytes per frame allocated = 0 when objectCount is 0.",
  allocatingApis: {
    resampler24to16: allocatingResampler(24000, 16000, frame24k),
    resampler16to24: allocatingResampler(16000, 24000, frame16k),
    resampler8to16: allocatingResampler(8000, 16000, pcm8k),
    mulawEncode: perFrame(() => encodeMulaw(pcm8k), 160),
    mulawDecode: perFrame(() => decodeMulaw(mulawFrame), 320),
    g722Encode: perFrame(() => encoder.encode(pcm16k), 160),
    g722Decode: perFrame(() => decoder.decode(g722Frame), 640),
  },
  reusingApis: {
    resampler24to16Into: reusingResampler(24000, 16000, frame24k, "wasm"),
    resampler16to24Into: reusingResampler(16000, 24000, frame16k, "wasm"),
    resampler8to16Into: reusingResampler(8000, 16000, pcm8k, "wasm"),
    resampler24to8Into: reusingResampler(24000, 8000, frame24k, "wasm"),
    resampler24to16IntoJavascript: reusingResampler(24000, 16000, frame24k, "javascript"),
    mulawEncodeInto: perFrame(() => encodeMulawInto(pcm8k, intoBuffer), 0),
    mulawDecodeInto: perFrame(() => decodeMulawInto(mulawFrame, intoBuffer), 0),
    alawEncodeInto: perFrame(() => encodeAlawInto(pcm8k, intoBuffer), 0),
    g722EncodeInto: perFrame(() => reusingEncoder.encodeInto(pcm16k, intoBuffer), 0),
    g722DecodeInto: perFrame(() => reusingDecoder.decodeInto(g722Codes, intoBuffer), 0),
  },
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
    resampler: { ours, kernelsInterleaved: resamplerKernels, libsamplerateJs: libsamplerate },
    codecs,
    allocation,
    bytes: benchBytes(),
  }),
);
