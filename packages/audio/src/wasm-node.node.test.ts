import { expect, test } from "bun:test";
import { join } from "node:path";
import { nodeBinaries } from "../../../scripts/node-binaries.ts";

// The wasm kernels (resampler, G.722) must load and give the same bytes under Node 22 and 24 as under Bun, and so
// must the JavaScript fallbacks; G.722's two implementations are bit-exact with each other.
const ROOT = join(import.meta.dir, "../../..");
const SCRIPT = join(import.meta.dir, "test-support/node-wasm-check.ts");

type Result = Record<
  "runtime" | "resampled" | "resampledJs" | "encoded" | "encodedJs" | "decoded" | "decodedJs",
  string
> & {
  kernels: string[];
};

function run(command: string[]): Result {
  const result = Bun.spawnSync(command, { cwd: ROOT, stdout: "pipe", stderr: "pipe", timeout: 30_000 });
  expect(result.exitCode, result.stdout.toString() + result.stderr.toString()).toBe(0);
  return JSON.parse(result.stdout.toString().trim().split("\n").pop()!);
}

const bun = run([process.execPath, "--conditions=bun", SCRIPT]);

test("under Bun the kernels are wasm, and G.722's wasm and JavaScript outputs are identical", () => {
  expect(bun.kernels).toEqual(["wasm", "wasm", "wasm"]);
  expect(bun.encoded).toBe(bun.encodedJs);
  expect(bun.decoded).toBe(bun.decodedJs);
  expect(bun.resampled).not.toBe(bun.resampledJs);
});

for (const [name, node] of Object.entries(nodeBinaries())) {
  test(`the wasm kernels run under ${name} and match Bun byte for byte`, () => {
    const result = run([node, "--conditions=bun", "--disable-warning=ExperimentalWarning", SCRIPT]);
    expect(result.runtime.startsWith(name === "node22" ? "v22." : "v24.")).toBe(true);
    expect(result.kernels).toEqual(["wasm", "wasm", "wasm"]);
    for (const key of ["resampled", "resampledJs", "encoded", "encodedJs", "decoded", "decodedJs"] as const) {
      expect(result[key]).toBe(bun[key]);
    }
  }, 30_000);
}
