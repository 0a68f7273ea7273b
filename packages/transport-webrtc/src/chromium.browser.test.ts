// An unmodified FastRTC-style browser client in Debian's Chromium (fake microphone: a 440 Hz WAV) against the
// transport inside RoomKit with the mock provider. Runs in its own network namespace (`unshare -n`, only `lo`) so
// no WebRTC traffic can leave 127.0.0.1. Requires /usr/bin/chromium (scripts/setup-test-env.sh); without it the
// test FAILS with instructions.
import { expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";

const CHROMIUM = process.env.ROOMKIT_CHROMIUM_PATH ?? process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const RUNNER = join(import.meta.dir, "test-support/chromium-run.ts");

function command(): string[] {
  const isRoot = process.getuid?.() === 0;
  const canUnshare = isRoot && Bun.which("unshare") !== null && Bun.which("ip") !== null;
  const bun = process.execPath;
  if (!canUnshare) return [bun, RUNNER];
  return ["unshare", "-n", "bash", "-c", `ip link set lo up && exec "${bun}" "${RUNNER}"`];
}

test("FastRTC client in Chromium: mic audio reaches the provider, the reply plays (DataChannel and track), clear_audio stops it, hang-up is seen at once", () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}: run packages/transport-webrtc/scripts/setup-test-env.sh ` +
        "(apt-get install -y chromium), then rerun the tests.",
    );
  }
  const run = Bun.spawnSync(command(), {
    cwd: join(import.meta.dir, ".."),
    stdout: "pipe",
    stderr: "pipe",
    timeout: 60_000,
  });
  const output = run.stdout.toString();
  expect(run.exitCode, output + run.stderr.toString()).toBe(0);
  const result = JSON.parse(output.trim().split("\n").pop()!);
  expect(result.error, result.error).toBeUndefined();
  expect(result.sessionStarted).toBe(true);
  // The fake microphone's 440 Hz tone, through Chrome's Opus encoder and our decoder at 16 kHz.
  expect(result.micReached).toBe(true);
  expect(Math.abs(result.micHz - 440)).toBeLessThanOrEqual(10);
  expect(result.micRms).toBeGreaterThan(1000);
  // The assistant's 1 kHz: μ-law on the DataChannel (decoded as RoomKit's page does, at 24 kHz) and the Opus track
  // measured by a Web Audio analyser on the remote stream.
  expect(result.during.state).toBe("connected");
  expect(result.during.types.session_started).toBe(1);
  expect(result.during.mediaMessages).toBeGreaterThan(20);
  expect(Math.abs(result.during.mediaHz - 1000)).toBeLessThanOrEqual(10);
  expect(result.during.packetsReceived).toBeGreaterThan(20);
  expect(Math.abs(result.during.trackHz - 1000)).toBeLessThanOrEqual(15);
  expect(result.during.trackPeak).toBeGreaterThan(0.1);
  // Paced: after ~1.2 s the 3 s response has not all been sent; the barge-in cuts the rest on both paths.
  expect(result.during.packetsReceived).toBeLessThan(120);
  expect(result.afterClear.clears).toBe(1);
  expect(result.packetsAfterClear).toBe(0);
  expect(result.mediaAfterClear).toBe(0);
  expect(result.later.trackPeak).toBeLessThan(0.05);
  // pc.close() in the page: the server's onClientDisconnected fires within a second, the slot is freed.
  expect(result.hangUpDetected).toBe(true);
  expect(result.hangUpMs).toBeLessThan(1000);
  expect(result.peersLeft).toBe(0);
}, 70_000);
