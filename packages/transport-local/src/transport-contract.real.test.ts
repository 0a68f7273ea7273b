import { afterAll, beforeAll, expect } from "bun:test";
import { spawn } from "node:child_process";
import { describeRealtimeTransportContract } from "@roomkit/testing";
import { LocalAudioBackend } from "./local-audio-transport.ts";
import { sleep } from "./test-support/loopback.ts";
import { isAlive, type PulseDaemon, startPulseDaemon } from "./test-support/pulse-daemon.ts";

let daemon: PulseDaemon;
beforeAll(async () => {
  daemon = await startPulseDaemon(24000);
});
afterAll(async () => {
  await daemon.stop();
  expect(isAlive(daemon.pid)).toBe(false);
});

/**
 * The real device: the speaker is the null sink `rk_test`, the microphone its monitor. What the "client" kept is
 * the audible samples that reached the monitor plus what is still queued; the client "speaks" by playing into the
 * sink from another pacat; it "goes away" when the microphone helper dies.
 */
describeRealtimeTransportContract(
  () => {
    const transport = new LocalAudioBackend({
      sampleRate: 24000,
      driver: "pulse",
      pulseServer: daemon.server,
      outputDevice: "rk_test",
      inputDevice: "rk_test.monitor",
      muteMicDuringPlayback: false,
    });
    let audibleBytes = 0;
    transport.onAudioReceived((_session, audio) => {
      const bytes = audio instanceof Uint8Array ? audio : audio.data;
      const samples = new Int16Array(bytes.slice().buffer);
      for (const sample of samples) if (sample !== 0) audibleBytes += 2;
    });
    return {
      transport,
      connect: () => "local",
      sampleRate: 24000,
      outputSampleRate: 24000,
      lossless: false,
      receivedByClient: () => ({ audioBytes: audibleBytes + transport.bufferedBytes }),
      playOnClient: (_connection, ms) => sleep(ms + 250),
      sendFromClient: (_connection, audio) =>
        new Promise<void>((resolve) => {
          const pacat = spawn(
            "pacat",
            [`--server=${daemon.server}`, "-d", "rk_test", "--raw", "--format=s16le", "--rate=24000", "--channels=1"],
            { stdio: ["pipe", "ignore", "ignore"] },
          );
          pacat.once("close", () => resolve());
          pacat.stdin.end(audio);
        }),
      closeFromClient: () => {
        const parec = transport.helperPids[1];
        if (parec !== undefined) process.kill(parec, "SIGKILL");
      },
    };
  },
  { name: "LocalAudioBackend contract (real PulseAudio daemon)", quietPeriodMs: 300 },
);
