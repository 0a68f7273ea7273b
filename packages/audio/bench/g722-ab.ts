// A/B of the G.722 codec at a git revision (A, default the one before the 2026-12-06 kernel work) against the working
// tree (B), both through the public API on 20 ms frames, interleaved in one process (A B A B ..., 15 rounds of 4,000
// frames), medians and spread of x real time (audio duration / process CPU time). The old sources are extracted with
// `git archive` into a temporary folder inside this package (removed at exit) so their imports resolve.
// Run: bun bench/g722-ab.ts [revision] (in packages/audio). Prints one JSON object.
import { execSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { G722Decoder, G722Encoder } from "../src/codecs/g722.ts";
import { readFixture } from "../src/test-support/fixtures.ts";
import { interleaved } from "./interleave.ts";

const REVISION = process.argv[2] ?? "ee74f80";
const PACKAGE = join(import.meta.dir, "..");
const folder = mkdtempSync(join(PACKAGE, ".g722-ab-"));
try {
  execSync(`git archive ${REVISION} src | tar -x -C ${folder}`, { cwd: PACKAGE });
  const old = (await import(join(folder, "src/codecs/g722.ts"))) as typeof import("../src/codecs/g722.ts");
  const pcm = readFixture("g722-speech.s16").subarray(0, 640);
  const codes = new G722Encoder({ kernel: "javascript" }).encode(pcm);
  const codeBuffer = new Uint8Array(160);
  const pcmBuffer = new Uint8Array(640);
  const contenders: Record<string, () => unknown> = {};
  for (const [name, codec] of [
    ["old", old],
    ["new", { G722Encoder, G722Decoder }],
  ] as const) {
    const encoder = new codec.G722Encoder({ kernel: "wasm" });
    const decoder = new codec.G722Decoder({ kernel: "wasm" });
    // The same bytes and samples from both, or the comparison means nothing.
    const check = new codec.G722Decoder({ kernel: "wasm" }).decode(
      new codec.G722Encoder({ kernel: "wasm" }).encode(pcm),
    );
    const reference = new G722Decoder({ kernel: "javascript" }).decode(codes);
    if (Buffer.compare(Buffer.from(check), Buffer.from(reference)) !== 0) throw new Error(`${name}: output differs`);
    contenders[`${name}EncodeDecode`] = () => decoder.decode(encoder.encode(pcm));
    contenders[`${name}EncodeDecodeInto`] = () => {
      encoder.encodeInto(pcm, codeBuffer);
      return decoder.decodeInto(codeBuffer, pcmBuffer);
    };
    contenders[`${name}Encode`] = () => encoder.encode(pcm);
    contenders[`${name}Decode`] = () => decoder.decode(codes);
  }
  const order = ["EncodeDecode", "EncodeDecodeInto", "Encode", "Decode"].flatMap((what) => [
    `old${what}`,
    `new${what}`,
  ]);
  const result = interleaved(Object.fromEntries(order.map((name) => [name, contenders[name]])), 4000, 15);
  console.log(
    JSON.stringify({ revision: REVISION, unit: "x real time (cpu), 20 ms frames, 15 interleaved rounds", result }),
  );
} finally {
  rmSync(folder, { recursive: true, force: true });
}
