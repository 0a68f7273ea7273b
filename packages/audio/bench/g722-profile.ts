// Where the G.722 WebAssembly codec's time goes, per 20 ms frame (160 sample pairs / bytes), single thread. Builds
// variants of assembly/g722.ts with one stage cut out (the output is then wrong; only the time matters) and times every
// variant's raw kernel call and the codec's public call, interleaved (A B C ..., 9 rounds, median ns per frame).
// Run: bun bench/g722-profile.ts [source] (in packages/audio). Prints one JSON object.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { compileAssemblyScript } from "../scripts/build-wasm.ts";
import { G722Decoder, G722Encoder } from "../src/codecs/g722.ts";
import { readFixture } from "../src/test-support/fixtures.ts";

const SOURCE = process.argv[2] ?? join(import.meta.dir, "../assembly/g722.ts");
const FRAMES = 4000;
const ROUNDS = 9;

async function compile(text: string): Promise<WebAssembly.Exports> {
  const binary = await compileAssemblyScript(text);
  return new WebAssembly.Instance(new WebAssembly.Module(binary), {}).exports;
}

/** Replaces every occurrence of `from` (which must occur) in `text`. */
function cut(text: string, from: string | RegExp, to: string): string {
  const next = text.replace(typeof from === "string" ? new RegExp(escape(from), "g") : from, to);
  if (next === text) throw new Error(`variant: ${String(from)} not found`);
  return next;
}
const escape = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

const original = readFileSync(SOURCE, "utf8");
const PREDICTOR = /\/\/ -- adaptive predictor[^\n]*\n\s*\{[\s\S]*?\n {4}\}\n/g;
const variants: Record<string, string> = {
  full: original,
  noQmf: cut(original, /\bqmf(?:Two)?\(2 \* i\)/g, "v128.load(WINDOW + (<usize>(2 * i) << 1))"),
  noPredictors: cut(original, PREDICTOR, ""),
  noQuantiser: cut(
    original,
    /const (?:scale = i32x4|levels = LOW_SCALED)[^\n]*\n[\s\S]*?const lowCode = [^\n]*\n/,
    "const lowCode = (lowError < 0 ? 33 : 61) - (lowMagnitude >> 20);\n",
  ),
  noScaleAdaptation: cut(
    original,
    /SC([LH]) = (?:linearScale\(LG[LH], \d+\)|load<i32>\([A-Z]+_SCALE \+ [^;]*\));/g,
    "SC$1 = 2048 + (LG$1 & 15);",
  ),
};

const pcm = readFixture("g722-speech.s16").subarray(0, 640);
const codes = new G722Encoder({ kernel: "javascript" }).encode(pcm);
type Kernel = {
  memory: WebAssembly.Memory;
  encode(pairs: number): void;
  decode(count: number): void;
  inputPointer(): number;
};
const runs: Record<string, () => void> = {};
for (const [name, text] of Object.entries(variants)) {
  const kernel = (await compile(text)) as unknown as Kernel;
  const heap = new Uint8Array(kernel.memory.buffer);
  heap.set(pcm, kernel.inputPointer());
  runs[`${name}.encode`] = () => kernel.encode(160);
  runs[`${name}.decode`] = () => {
    heap.set(codes, kernel.inputPointer());
    kernel.decode(160);
  };
}
const encoder = new G722Encoder({ kernel: "wasm" });
const decoder = new G722Decoder({ kernel: "wasm" });
const codeBuffer = new Uint8Array(160);
const pcmBuffer = new Uint8Array(640);
runs["public.encodeInto"] = () => encoder.encodeInto(pcm, codeBuffer);
runs["public.decodeInto"] = () => decoder.decodeInto(codes, pcmBuffer);
runs["public.encode"] = () => encoder.encode(pcm);
runs["public.decode"] = () => decoder.decode(codes);

const samples = new Map<string, number[]>(Object.keys(runs).map((name) => [name, []]));
for (let round = -1; round < ROUNDS; round++) {
  for (const [name, run] of Object.entries(runs)) {
    const start = process.cpuUsage();
    for (let i = 0; i < FRAMES; i++) run();
    const used = process.cpuUsage(start);
    if (round >= 0) samples.get(name)?.push(((used.user + used.system) * 1000) / FRAMES);
  }
}
const nsPerFrame: Record<string, { median: number; min: number; max: number }> = {};
for (const [name, values] of samples) {
  values.sort((a, b) => a - b);
  nsPerFrame[name] = {
    median: Math.round(values[ROUNDS >> 1]),
    min: Math.round(values[0]),
    max: Math.round(values[ROUNDS - 1]),
  };
}
console.log(
  JSON.stringify(
    {
      unit: "ns per 20 ms frame (160 pairs), process CPU time, median of 9 interleaved rounds",
      source: SOURCE,
      nsPerFrame,
    },
    null,
    1,
  ),
);
