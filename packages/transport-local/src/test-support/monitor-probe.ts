import { spawn } from "node:child_process";
import type { PulseDaemon } from "./pulse-daemon.ts";

/**
 * An independent low-latency microphone on a sink's monitor (`parec --latency-msec=5`), outside the transport:
 * counts the samples received and remembers where the last loud one (|x| ≥ 1000) was. What reached the sink after a
 * moment = last loud position − samples received at that moment (an upper bound: the probe's own latency adds).
 */
export function startMonitorProbe(daemon: PulseDaemon, device = "rk_test.monitor") {
  const state = { received: 0, lastLoud: -1 };
  const parec = spawn(
    "parec",
    [
      `--server=${daemon.server}`,
      `--device=${device}`,
      "--raw",
      "--format=s16le",
      `--rate=${daemon.rate}`,
      "--channels=1",
      "--latency-msec=5",
    ],
    { stdio: ["ignore", "pipe", "ignore"] },
  );
  let odd: Buffer = Buffer.alloc(0);
  parec.stdout.on("data", (chunk: Buffer) => {
    const bytes = odd.length > 0 ? Buffer.concat([odd, chunk]) : chunk;
    const whole = bytes.length & ~1;
    odd = bytes.subarray(whole);
    for (let offset = 0; offset < whole; offset += 2) {
      if (Math.abs(bytes.readInt16LE(offset)) >= 1000) state.lastLoud = state.received;
      state.received++;
    }
  });
  return {
    state,
    pid: parec.pid,
    /** Milliseconds of loud audio the monitor received after the probe had received `mark` samples. */
    loudAfterMs: (mark: number) => (Math.max(0, state.lastLoud - mark) / daemon.rate) * 1000,
    stop: () =>
      new Promise<void>((resolve) => {
        if (parec.exitCode !== null || parec.signalCode !== null) return resolve();
        parec.once("close", () => resolve());
        parec.kill("SIGTERM");
      }),
  };
}
