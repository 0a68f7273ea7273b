import { expect, test } from "bun:test";
import { join } from "node:path";
import { nodeBinaries } from "../../../scripts/node-binaries.ts";
import { isAlive, type PulseDaemon, startPulseDaemon } from "./test-support/pulse-daemon.ts";

// The README says Node 22+: the PulseAudio path runs under Node 22 and 24 from the same sources, against the test's
// private daemon, and must play bit-exact, report every byte played, end playback once and leave no helper behind.
const ROOT = join(import.meta.dir, "../../..");

/** Each runtime gets its own private daemon, started and stopped around its run (no state shared between them). */
async function withDaemon(run: (daemon: PulseDaemon) => void): Promise<void> {
  const daemon = await startPulseDaemon(24000);
  try {
    run(daemon);
  } finally {
    await daemon.stop();
  }
  expect(isAlive(daemon.pid)).toBe(false);
}

for (const [name, node] of Object.entries(nodeBinaries())) {
  test(
    `LocalAudioBackend plays and hears back through PulseAudio under ${name}`,
    () =>
      withDaemon((daemon) => {
        const run = Bun.spawnSync(
          [
            node,
            "--conditions=bun",
            "--disable-warning=ExperimentalWarning",
            "--import",
            join(ROOT, "scripts/node-test/register.mjs"),
            join(import.meta.dir, "test-support/node-round-trip.ts"),
            daemon.server,
            String(daemon.rate),
          ],
          { cwd: ROOT, stdout: "pipe", stderr: "pipe", timeout: 30_000 },
        );
        const output = run.stdout.toString();
        expect(run.exitCode, output + run.stderr.toString()).toBe(0);
        const result = JSON.parse(output.trim().split("\n").pop()!);
        expect(result.runtime.startsWith(name === "node22" ? "v22." : "v24.")).toBe(true);
        expect(result.helpers).toBe(2);
        // Bit-exact unless the device ran dry (then in order, little lost): see toneCameBack.
        expect(result.failure).toBeNull();
        expect(result.playedBytes).toBe(result.toneBytes);
        expect(result.playbackEnded).toBe(1);
        expect(result.alive).toBe(0);
      }),
    30_000,
  );
}
