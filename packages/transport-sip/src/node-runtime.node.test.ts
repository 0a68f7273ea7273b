import { expect, test } from "bun:test";
import { join } from "node:path";
import { nodeBinaries } from "../../../scripts/node-binaries.ts";

// The README says Node 22+: the same sources answer a G.722 call over node:dgram under Node 22 and 24.
const ROOT = join(import.meta.dir, "../../..");

for (const [index, [name, node]] of Object.entries(nodeBinaries()).entries()) {
  test(`a SIP call with audio both ways, DTMF and BYE under ${name}`, () => {
    const run = Bun.spawnSync(
      [
        node,
        "--conditions=bun",
        "--disable-warning=ExperimentalWarning",
        "--import",
        join(ROOT, "scripts/node-test/register.mjs"),
        join(import.meta.dir, "test-support/node-call.ts"),
        String(46000 + (process.pid % 100) * 40 + index * 20),
      ],
      { cwd: ROOT, stdout: "pipe", stderr: "pipe", timeout: 30_000 },
    );
    const output = run.stdout.toString();
    expect(run.exitCode, output + run.stderr.toString()).toBe(0);
    const result = JSON.parse(output.trim().split("\n").pop()!);
    expect(result.runtime.startsWith(name === "node22" ? "v22." : "v24.")).toBe(true);
    expect(result.sampleRate).toBe(16000);
    expect(result.receivedBytes).toBeGreaterThanOrEqual(6400);
    expect(result.sentPackets).toBeGreaterThanOrEqual(10);
    expect(result.digits).toEqual(["7"]);
    expect(result.disconnected).toBe(1);
    expect(result.portsInUse).toBe(0);
  }, 30_000);
}
