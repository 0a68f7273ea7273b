// `bun run demo:local` end to end, on a private PulseAudio daemon (null sink rk_test = the speaker, its monitor = the
// microphone): a spoken tone reaches the offline echo agent, its reply plays on the speaker and its transcript is
// printed; Ctrl+C stops it and leaves no audio helper behind.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { waitFor } from "@roomkit/testing";
import { startMonitorProbe } from "../../../packages/transport-local/src/test-support/monitor-probe.ts";
import {
  isAlive,
  type PulseDaemon,
  startPulseDaemon,
} from "../../../packages/transport-local/src/test-support/pulse-daemon.ts";

let daemon: PulseDaemon;
beforeAll(async () => {
  daemon = await startPulseDaemon(24000);
});
afterAll(async () => {
  await daemon.stop();
});

/** A 440 Hz tone at −12 dBFS: speech to the fake's energy VAD. */
function tone(ms: number): Uint8Array {
  const samples = new Int16Array((24000 * ms) / 1000);
  for (let index = 0; index < samples.length; index++)
    samples[index] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * index) / 24000));
  return new Uint8Array(samples.buffer);
}

function childPids(pid: number): number[] {
  const ps = Bun.spawnSync(["ps", "-o", "pid=", "--ppid", String(pid)]);
  return ps.stdout
    .toString()
    .split("\n")
    .map((line) => Number(line.trim()))
    .filter((value) => value > 0);
}

test("demo:local (offline echo): the mic's speech is answered on the speaker, with a transcript; Ctrl+C cleans up", async () => {
  const env = {
    ...process.env,
    PULSE_SERVER: daemon.server,
    OPENAI_API_KEY: "",
    GEMINI_API_KEY: "",
    GOOGLE_API_KEY: "",
  };
  const demo = spawn("bun", [join(import.meta.dir, "local-main.ts"), "--provider", "offline"], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  demo.stdout.on("data", (chunk) => {
    output += String(chunk);
  });
  demo.stderr.on("data", (chunk) => {
    output += String(chunk);
  });
  const exited = new Promise<number | null>((resolve) => demo.once("close", (code) => resolve(code)));
  const probe = startMonitorProbe(daemon);
  try {
    await waitFor(() => output.includes("speak into the microphone"), { timeoutMs: 20_000, label: output });
    const helpers = childPids(demo.pid!);
    expect(helpers.length).toBeGreaterThanOrEqual(2); // parec + pacat
    // The user speaks: 600 ms of tone played into the room (the sink the demo's microphone listens to).
    const user = spawn(
      "pacat",
      [`--server=${daemon.server}`, "-d", "rk_test", "--raw", "--format=s16le", "--rate=24000", "--channels=1"],
      {
        stdio: ["pipe", "ignore", "ignore"],
      },
    );
    await new Promise((resolve) => {
      user.once("close", resolve);
      user.stdin.end(tone(600));
    });
    // The tone ends at the monitor: 200 ms of silence after the last loud sample.
    await waitFor(() => probe.state.lastLoud > 0 && probe.state.received - probe.state.lastLoud > 4800, {
      timeoutMs: 5000,
      label: "the end of the spoken tone",
    });
    const spokeUntil = probe.state.lastLoud;
    // The echo agent answers after the end of speech: loud audio on the speaker again, and its transcript.
    await waitFor(() => output.includes("agent │") && probe.state.lastLoud > spokeUntil + 4800, {
      timeoutMs: 15_000,
      label: "the echo reply and its transcript",
    });
    demo.kill("SIGINT");
    expect(await exited).toBe(0);
    for (const pid of helpers) expect(isAlive(pid)).toBe(false);
  } finally {
    if (demo.exitCode === null && demo.signalCode === null) demo.kill("SIGKILL");
    await probe.stop();
  }
}, 60_000);
