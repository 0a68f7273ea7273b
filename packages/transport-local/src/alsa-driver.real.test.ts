import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { waitFor } from "@roomkit/testing";
import { LocalAudioBackend, type LocalPlayedAudio } from "./local-audio-transport.ts";
import {
  childProcesses,
  closeOpenTransports,
  concat,
  openTransports,
  rampTone,
  realSession,
  sleep,
  toneCameBack,
} from "./test-support/loopback.ts";
import { startMonitorProbe } from "./test-support/monitor-probe.ts";
import { isAlive, type PulseDaemon, startPulseDaemon } from "./test-support/pulse-daemon.ts";

// The ALSA driver (aplay/arecord) reaches the private daemon through ALSA's pulse plugin (libasound2-plugins):
// the `pulse` PCM connects to PULSE_SERVER, PULSE_SINK and PULSE_SOURCE pick the null sink and its monitor.
let daemon: PulseDaemon;
const saved = { ...process.env };
beforeAll(async () => {
  daemon = await startPulseDaemon(24000);
  process.env.PULSE_SERVER = daemon.server;
  process.env.PULSE_SINK = "rk_test";
  process.env.PULSE_SOURCE = "rk_test.monitor";
});
afterEach(() => closeOpenTransports());
afterAll(async () => {
  for (const key of ["PULSE_SERVER", "PULSE_SINK", "PULSE_SOURCE"]) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
  await daemon.stop();
  expect(isAlive(daemon.pid)).toBe(false);
});

describe("LocalAudioBackend on the ALSA driver (aplay/arecord via the daemon's ALSA plugin)", () => {
  test("speaker audio comes back on the monitor bit-exact; Σ playedBytes = bytes sent; no helper left after close", async () => {
    const transport = new LocalAudioBackend({
      sampleRate: 24000,
      driver: "alsa",
      inputDevice: "pulse",
      outputDevice: "pulse",
      muteMicDuringPlayback: false,
    });
    openTransports.add(transport);
    const mic: Array<{ at: number; samples: Int16Array }> = [];
    transport.onAudioReceived((_session, audio) => {
      const bytes = audio instanceof Uint8Array ? audio : audio.data;
      mic.push({ at: performance.now(), samples: new Int16Array(bytes.slice().buffer) });
    });
    let playedBytes = 0;
    transport.onAudioPlayed((_session, block) => {
      playedBytes += (block as LocalPlayedAudio).playedBytes;
    });
    const session = realSession();
    await transport.accept(session, null);
    const pids = transport.helperPids;
    expect(pids.length).toBe(2);
    await sleep(300);
    const tone = rampTone(24000 * 0.3);
    transport.sendAudio(session, new Uint8Array(tone.buffer));
    transport.endOfResponse(session);
    await sleep(900);
    expect(toneCameBack(concat(mic), tone, transport.deviceUnderruns)).toBeUndefined();
    expect(playedBytes).toBe(tone.byteLength);
    await transport.close();
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
    const left = (await childProcesses()).filter((child) => /^(aplay|arecord)$/.test(child.command));
    expect(left).toEqual([]);
  });

  test("interrupt: aplay is restarted, the sink receives at most 30 ms of audio after the call, the next response plays", async () => {
    const transport = new LocalAudioBackend({
      sampleRate: 24000,
      driver: "alsa",
      inputDevice: "pulse",
      outputDevice: "pulse",
      muteMicDuringPlayback: false,
    });
    openTransports.add(transport);
    const session = realSession();
    await transport.accept(session, null);
    const probe = startMonitorProbe(daemon);
    try {
      const aplay = transport.helperPids[0]!;
      transport.sendAudio(session, new Uint8Array(rampTone(24000 * 2).buffer));
      await waitFor(() => probe.state.lastLoud > 0, { timeoutMs: 3000 });
      await sleep(200);
      const mark = probe.state.received;
      transport.interrupt(session);
      await sleep(300);
      expect(probe.loudAfterMs(mark)).toBeLessThanOrEqual(30);
      expect(isAlive(aplay)).toBe(false);
      const heardBefore = probe.state.lastLoud;
      transport.sendAudio(session, new Uint8Array(rampTone(4800).buffer));
      transport.endOfResponse(session);
      await waitFor(() => probe.state.lastLoud > heardBefore, { timeoutMs: 3000 });
    } finally {
      await probe.stop();
    }
    await transport.close();
    const left = (await childProcesses()).filter((child) => /^(aplay|arecord)$/.test(child.command));
    expect(left).toEqual([]);
  });
});
