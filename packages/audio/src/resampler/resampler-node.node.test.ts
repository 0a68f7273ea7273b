import { expect, test } from "bun:test";
import { join } from "node:path";
import { nodeBinaries } from "../../../../scripts/node-binaries.ts";

// The wasm kernel must load and give the same bytes under Node 22 and 24 as under Bun (float32 wasm arithmetic is
// deterministic), and the JavaScript fallback too.
const ROOT = join(import.meta.dir, "../../../..");
const SCRIPT = join(import.meta.dir, "../test-support/node-resampler-check.ts");

function run(command: string[]): { runtime: string; kernel: string; auto: string; javascript: string } {
  const result = Bun.spawnSync(command, { cwd: ROOT, stdout: "pipe", stderr: "pipe", timeout: 30_000 });
  expect(result.exitCode, result.stdout.toString() + result.stderr.toString()).toBe(0);
  return JSON.parse(result.stdout.toString().trim().split("\n").pop()!);
}

const bun = run([process.execPath, "--conditions=bun", SCRIPT]);

for (const [name, node] of Object.entries(nodeBinaries())) {
  test(`the resampler's wasm kernel runs under ${name} and matches Bun byte for byte`, () => {
    const result = run([node, "--conditions=bun", "--disable-warning=ExperimentalWarning", SCRIPT]);
    expect(result.runtime.startsWith(name === "node22" ? "v22." : "v24.")).toBe(true);
    expect(bun.kernel).toBe("wasm");
    expect(result.kernel).toBe("wasm");
    expect(result.auto).toBe(bun.auto);
    expect(result.javascript).toBe(bun.javascript);
    expect(result.auto).not.toBe(result.javascript);
  }, 30_000);
}
