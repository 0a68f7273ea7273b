// A/B of the resampler's inner loops alone (kernel.block, no API wrapper) on 20 ms frames, interleaved in one process (A B C A B C ...), medians.
// Run: bun bench/kernel-ab.ts [rounds]. Prints one JSON object: x real time per kernel and direction.
import { generateNoise } from "../src/pcm/generators.ts";
import { designPolyphaseFilter } from "../src/resampler/filter-design.ts";
import { JavaScriptPolyphaseKernel, type PolyphaseKernel } from "../src/resampler/polyphase-kernel.ts";
import { createWasmKernel } from "../src/resampler/wasm/wasm-polyphase-kernel.ts";

const ROUNDS = Number(process.argv[2] ?? 15);
const FRAMES = 2000;
const DIRECTIONS: Array<[number, number]> = [
  [24000, 16000],
  [16000, 24000],
  [24000, 8000],
  [8000, 16000],
  [16000, 8000],
  [48000, 16000],
  [44100, 16000],
];

type Maker = (fromRate: number, toRate: number) => PolyphaseKernel | undefined;
const MAKERS: Record<string, Maker> = {
  javascript: (f, t) => new JavaScriptPolyphaseKernel(designPolyphaseFilter(f, t)),
  wasm: (f, t) => createWasmKernel(designPolyphaseFilter(f, t)),
};

function driver(kernel: PolyphaseKernel, fromRate: number, toRate: number): () => void {
  const filter = designPolyphaseFilter(fromRate, toRate);
  const frame = generateNoise({ sampleRate: fromRate, durationMs: 20, seed: 11 });
  const count = fromRate / 50;
  let inputTotal = 0;
  let outputTotal = 0;
  return () => {
    inputTotal += count;
    const outputs = Math.ceil((inputTotal * filter.up) / filter.down) - outputTotal;
    kernel.block(frame, 0, count, outputs);
    outputTotal += outputs;
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];
const result: Record<string, Record<string, { median: number; min: number; max: number }>> = {};
for (const [fromRate, toRate] of DIRECTIONS) {
  const runs: Record<string, () => void> = {};
  for (const [name, make] of Object.entries(MAKERS)) {
    const kernel = make(fromRate, toRate);
    if (kernel) runs[name] = driver(kernel, fromRate, toRate);
  }
  const samples: Record<string, number[]> = {};
  for (const [name, run] of Object.entries(runs)) {
    samples[name] = [];
    for (let i = 0; i < FRAMES; i++) run();
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, run] of Object.entries(runs)) {
      const start = process.cpuUsage();
      for (let i = 0; i < FRAMES; i++) run();
      const used = process.cpuUsage(start);
      samples[name].push((FRAMES * 20) / ((used.user + used.system) / 1000));
    }
  }
  const entry: Record<string, { median: number; min: number; max: number }> = {};
  for (const [name, values] of Object.entries(samples)) {
    entry[name] = {
      median: Math.round(median(values)),
      min: Math.round(Math.min(...values)),
      max: Math.round(Math.max(...values)),
    };
  }
  result[`${fromRate}->${toRate}`] = entry;
}
console.log(
  JSON.stringify({ statistic: `x real time (CPU), ${ROUNDS} interleaved rounds of ${FRAMES} frames`, result }, null, 1),
);
