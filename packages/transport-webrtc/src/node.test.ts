import { expect, test } from "bun:test";
import { join } from "node:path";
import { nodeBinaries } from "../../../scripts/node-binaries.ts";

// The README says Node 22+: werift, opusscript (WASM) and the transport run under Node 22 and 24 from the same
// sources, behind node:http through toNodeListener, with a werift client peer on 127.0.0.1.
const ROOT = join(import.meta.dir, "../../..");

for (const [name, node] of Object.entries(nodeBinaries())) {
  test(`FastRTCRealtimeTransport on node:http under ${name}: offer, audio both ways, hang-up`, () => {
    const run = Bun.spawnSync(
      [
        node,
        "--conditions=bun",
        "--disable-warning=ExperimentalWarning",
        "--import",
        join(ROOT, "scripts/node-test/register.mjs"),
        join(import.meta.dir, "test-support/node-loopback.ts"),
      ],
      { cwd: ROOT, stdout: "pipe", stderr: "pipe", timeout: 60_000 },
    );
    const output = run.stdout.toString();
    expect(run.exitCode, output + run.stderr.toString()).toBe(0);
    const result = JSON.parse(output.trim().split("\n").pop()!);
    expect(result.error, result.error).toBeUndefined();
    expect(result.runtime.startsWith(name === "node22" ? "v22." : "v24.")).toBe(true);
    expect(result.offerStatus).toBe(200);
    expect(result.badStatus).toBe(422);
    expect(result.started).toBe(true);
    expect(Math.abs(result.inboundHz - 440)).toBeLessThanOrEqual(5);
    expect(Math.abs(result.dataChannelHz - 1000)).toBeLessThanOrEqual(5);
    expect(result.trackPackets).toBeGreaterThanOrEqual(18);
    expect(result.hangUpDetected).toBe(true);
    expect(result.peersLeft).toBe(0);
  }, 70_000);
}
