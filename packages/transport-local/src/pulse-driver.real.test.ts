import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { TransportError } from "@roomkit/spec";
import { waitFor } from "@roomkit/testing";
import { LocalCaptureSource } from "./capture-source.ts";
import { resolveDriver } from "./drivers/detect-driver.ts";
import { LocalAudioBackend } from "./local-audio-transport.ts";
import {
  childProcesses,
  closeOpenTransports,
  concat,
  loopback,
  openTransports,
  rampTone,
  realSession,
  sleep,
  toneCameBack,
} from "./test-support/loopback.ts";
import { startMonitorProbe } from "./test-support/monitor-probe.ts";
import { isAlive, type PulseDaemon, startPulseDaemon } from "./test-support/pulse-daemon.ts";

let daemon: PulseDaemon;
beforeAll(async () => {
  daemon = await startPulseDaemon(24000);
});
afterEach(() => closeOpenTransports());
afterAll(async () => {
  await daemon.stop();
  expect(isAlive(daemon.pid)).toBe(false);
});

const helpers = async () =>
  (await childProcesses()).filter(
    (child) => /^(pacat|parec|aplay|arecord)$/.test(child.command) && !daemon.ownPids.includes(child.pid),
  );
const loudSamples = (samples: Int16Array) => samples.filter((sample) => Math.abs(sample) >= 1000).length;

describe("LocalAudioBackend on a real PulseAudio daemon (null sink rk_test, mic = its monitor)", () => {
  test("speaker audio comes back on the sink monitor bit-exact (if no device underrun); Σ playedBytes = bytes sent; one playbackEnded; no underrun", async () => {
    const { transport, session, mic, played } = await loopback(daemon, { muteMicDuringPlayback: false });
    const pids = transport.helperPids;
    expect(pids.length).toBe(2);
    await sleep(100); // the monitor recording is running before the tone starts
    const tone = rampTone(24000 * 0.3);
    // 40 ms bursts, as a provider streams.
    for (let offset = 0; offset < tone.length; offset += 960) {
      transport.sendAudio(session, new Uint8Array(tone.buffer, offset * 2, Math.min(960, tone.length - offset) * 2));
    }
    transport.endOfResponse(session);
    await sleep(700);
    // Bit-exact when the device never ran dry (a loaded machine can starve it: then in order, little lost).
    expect(toneCameBack(concat(mic), tone, transport.deviceUnderruns)).toBeUndefined();
    expect(played.reduce((sum, entry) => sum + entry.played.playedBytes, 0)).toBe(tone.byteLength);
    expect(played.filter((entry) => entry.played.playbackEnded).length).toBe(1);
    expect(transport.rtUnderruns).toBe(0);
    await transport.close();
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
  });

  test("playback positions: when the callbacks say N ms were played, the monitor has heard N ms within one block", async () => {
    const { transport, session, mic, played } = await loopback(daemon, { muteMicDuringPlayback: false });
    const tone = rampTone(24000);
    transport.sendAudio(session, new Uint8Array(tone.buffer));
    transport.endOfResponse(session);
    await sleep(500);
    // At one instant: the callbacks' played position vs the furthest sample index that reached the monitor.
    const reportedSamples = played.reduce((sum, entry) => sum + entry.played.playedBytes, 0) / 2;
    const heard = concat(mic);
    const lastHeard = Math.max(...[...heard].filter((sample) => sample >= 1000).map((sample) => sample - 1000));
    const blockSamples = 480;
    const aheadMs = ((reportedSamples - lastHeard) / 24000) * 1000;
    // Frames are reported when handed to the device: ahead of the monitor by the lead + device and capture latency.
    expect(aheadMs).toBeGreaterThanOrEqual(-blockSamples / 24);
    expect(aheadMs).toBeLessThanOrEqual(transport.options.outputLeadMs + transport.options.deviceLatencyMs * 2 + 20);
    await transport.close();
  });

  test("interrupt at the defaults: the sink receives at most 30 ms of audio after the call; the next response plays", async () => {
    const { transport, session, mic } = await loopback(daemon, { muteMicDuringPlayback: false });
    const probe = startMonitorProbe(daemon);
    try {
      const pacat = transport.helperPids[0]!;
      for (let round = 0; round < 3; round++) {
        transport.sendAudio(session, new Uint8Array(rampTone(24000 * 2).buffer));
        await sleep(300 + round * 23);
        expect(probe.state.lastLoud).toBeGreaterThan(0);
        const mark = probe.state.received;
        transport.interrupt(session);
        await sleep(250);
        // Measured in audio at the monitor (samples), by a probe at 5 ms latency: an upper bound.
        expect(probe.loudAfterMs(mark)).toBeLessThanOrEqual(30);
      }
      // The flush restarted pacat: the old one is gone, no extra helper is left.
      expect(isAlive(pacat)).toBe(false);
      expect((await helpers()).filter((child) => child.pid !== probe.pid).length).toBe(2);
      const count = mic.length;
      transport.sendAudio(session, new Uint8Array(rampTone(4800).buffer));
      transport.endOfResponse(session);
      await sleep(400);
      expect(mic.slice(count).some((block) => loudSamples(block.samples) > 0)).toBe(true);
    } finally {
      await probe.stop();
    }
    await transport.close();
  });

  test("a stalled event loop: the device underrun is counted and playback goes on in order", async () => {
    const { transport, session, mic } = await loopback(daemon, { muteMicDuringPlayback: false });
    transport.sendAudio(session, new Uint8Array(rampTone(24000).buffer));
    await sleep(200);
    const stallUntil = performance.now() + 300;
    while (performance.now() < stallUntil) {} // the event loop is blocked: pacat runs dry
    await sleep(1200);
    expect(transport.deviceUnderruns).toBeGreaterThanOrEqual(1);
    // The stream paused and resumed: samples come in order, none repeated; PulseAudio may skip a few ms at the
    // underrun (data written "in the past" is dropped), never more than a block or two.
    const heard = [...concat(mic)].filter((sample) => sample >= 1000);
    expect(heard.every((sample, index) => index === 0 || sample > heard[index - 1]!)).toBe(true);
    expect(heard.length).toBeGreaterThanOrEqual(24000 - 960);
    // Not stuck: a fresh block comes back.
    const count = mic.length;
    transport.sendAudio(session, new Uint8Array(rampTone(480, 5000).buffer));
    transport.endOfResponse(session);
    await waitFor(() => mic.slice(count).some((block) => block.samples.includes(6000)), { timeoutMs: 2000 });
    await transport.close();
  });

  test("pre-buffer and idle valve on the real clock: 60 ms without endOfResponse waits ~100 ms; with it, plays at once", async () => {
    const { transport, session, mic } = await loopback(daemon, { muteMicDuringPlayback: false });
    const firstLoud = async (withEor: boolean) => {
      const count = mic.length;
      const sentAt = performance.now();
      transport.sendAudio(session, new Uint8Array(rampTone(1440).buffer));
      if (withEor) transport.endOfResponse(session);
      await sleep(500);
      const block = mic.slice(count).find((entry) => loudSamples(entry.samples) > 0);
      return block ? block.at - sentAt : Number.POSITIVE_INFINITY;
    };
    const idle = await firstLoud(false);
    const released = await firstLoud(true);
    expect(idle).toBeGreaterThanOrEqual(100);
    expect(idle).toBeLessThan(400);
    expect(released).toBeLessThan(idle - 50);
    await transport.close();
  });

  test("an underrun mid-response is counted and playback re-primes", async () => {
    const { transport, session, mic } = await loopback(daemon, { muteMicDuringPlayback: false });
    transport.sendAudio(session, new Uint8Array(rampTone(24000 * 0.2).buffer));
    await sleep(400);
    expect(transport.rtUnderruns).toBe(1);
    const count = mic.length;
    transport.sendAudio(session, new Uint8Array(rampTone(24000 * 0.2).buffer));
    transport.endOfResponse(session);
    await sleep(400);
    expect(mic.slice(count).some((block) => loudSamples(block.samples) > 0)).toBe(true);
    expect(transport.rtUnderruns).toBe(1);
    await transport.close();
  });

  test("half-duplex (default): 0 loud mic frames leak during and after playback; the mic comes back after", async () => {
    const { transport, session, mic } = await loopback(daemon);
    await sleep(100);
    const before = mic.length;
    expect(before).toBeGreaterThan(0);
    for (let round = 0; round < 3; round++) {
      transport.sendAudio(session, new Uint8Array(rampTone(24000 * 0.3).buffer));
      transport.endOfResponse(session);
      await sleep(600);
    }
    const leaked = mic.filter((block) => loudSamples(block.samples) > 0).length;
    expect(leaked).toBe(0);
    expect(mic.length).toBeGreaterThan(before + 10);
    await transport.close();
  });

  test("device selection: outputDevice rk_other plays there and not on rk_test", async () => {
    const { transport, session, mic } = await loopback(daemon, {
      outputDevice: "rk_other",
      muteMicDuringPlayback: false,
    });
    const other = new LocalAudioBackend({
      sampleRate: 24000,
      driver: "pulse",
      pulseServer: daemon.server,
      inputDevice: "rk_other.monitor",
      outputDevice: "rk_test",
    });
    const otherMic: Int16Array[] = [];
    other.onAudioReceived((_s, audio) => {
      const bytes = audio instanceof Uint8Array ? audio : audio.data;
      otherMic.push(new Int16Array(bytes.slice().buffer));
    });
    openTransports.add(other);
    await other.accept(realSession(), null);
    transport.sendAudio(session, new Uint8Array(rampTone(24000 * 0.2).buffer));
    transport.endOfResponse(session);
    await sleep(500);
    expect(mic.filter((block) => loudSamples(block.samples) > 0).length).toBe(0);
    expect(otherMic.some((block) => loudSamples(block) > 0)).toBe(true);
    await Promise.all([transport.close(), other.close()]);
  });

  test("a daemon that is not running: accept rejects with a TransportError naming the fix; no child left", async () => {
    const transport = new LocalAudioBackend({ driver: "pulse", pulseServer: "unix:/nonexistent/rk/native" });
    const error = await transport.accept(realSession(), null).catch((caught) => caught);
    expect(TransportError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/no PulseAudio .*server is running.*pulseaudio --start/);
    expect(await helpers()).toEqual([]);
  });

  test("a server that accepts the connection but never answers: accept rejects after 5 s; no child left", async () => {
    const { createServer } = await import("node:net");
    const { mkdtempSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const path = `${mkdtempSync(`${tmpdir()}/rk-mute-`)}/native`;
    const sockets: import("node:net").Socket[] = [];
    const server = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(path, resolve));
    try {
      const transport = new LocalAudioBackend({ driver: "pulse", pulseServer: `unix:${path}` });
      const error = await transport.accept(realSession(), null).catch((caught) => caught);
      expect(TransportError.isInstance(error)).toBe(true);
      expect((error as Error).message).toContain("did not open its stream within 5000 ms");
      expect(await helpers()).toEqual([]);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  }, 15_000);

  test("a helper that exits mid-call ends the session (onClientDisconnected) and kills the other helper", async () => {
    const { transport, session } = await loopback(daemon);
    const gone: string[] = [];
    transport.onClientDisconnected((s) => void gone.push(s.id));
    const [pacat, parec] = transport.helperPids;
    process.kill(pacat!, "SIGKILL");
    await waitFor(() => gone.length > 0, { timeoutMs: 3000 });
    expect(gone).toEqual([session.id]);
    expect(isAlive(parec!)).toBe(false);
    expect(await helpers()).toEqual([]);
    await transport.close();
  });

  test('onDeviceLost "wait": a helper that exits mid-call keeps the session, the device reopens and plays again', async () => {
    const { transport, session, mic } = await loopback(daemon, {
      onDeviceLost: "wait",
      deviceRetryMs: 100,
      muteMicDuringPlayback: false,
    });
    const gone: string[] = [];
    transport.onClientDisconnected((s) => void gone.push(s.id));
    const [pacat, parec] = transport.helperPids;
    process.kill(pacat!, "SIGKILL");
    await waitFor(() => transport.waitingForDevice, { timeoutMs: 3000 });
    await waitFor(() => !transport.waitingForDevice && transport.helperPids.length === 2, { timeoutMs: 5000 });
    expect(isAlive(parec!)).toBe(false);
    expect(transport.helperPids).not.toContain(pacat);
    expect(transport.getSession(session.id)).toBe(session);
    const count = mic.length;
    transport.sendAudio(session, new Uint8Array(rampTone(4800).buffer));
    transport.endOfResponse(session);
    await waitFor(() => mic.slice(count).some((block) => loudSamples(block.samples) > 0), { timeoutMs: 3000 });
    expect(gone).toEqual([]);
    await transport.close();
    expect(await helpers()).toEqual([]);
  });

  test("a shared LocalCaptureSource on the monitor: the transport hears through it; the source outlives the transport", async () => {
    const source = new LocalCaptureSource({
      driver: "pulse",
      pulseServer: daemon.server,
      device: "rk_test.monitor",
      sampleRate: 24000,
    });
    try {
      await source.start();
      const [parec] = source.helperPids;
      const { transport, session, mic } = await loopback(daemon, { source, muteMicDuringPlayback: false });
      expect(transport.helperPids.length).toBe(1); // its pacat; the mic is the source's
      transport.sendAudio(session, new Uint8Array(rampTone(4800).buffer));
      transport.endOfResponse(session);
      await waitFor(() => mic.some((block) => loudSamples(block.samples) > 0), { timeoutMs: 3000 });
      await transport.close();
      expect(isAlive(parec!)).toBe(true);
      expect(source.running).toBe(true);
    } finally {
      await source.close();
    }
    expect(await helpers()).toEqual([]);
  });

  test("no audio tool installed: auto names the Debian packages; a missing binary names its package", async () => {
    expect(() => resolveDriver("auto", { path: "/nonexistent" })).toThrow(/pulseaudio-utils.*alsa-utils/);
    const saved = process.env.PATH;
    process.env.PATH = "/nonexistent";
    try {
      const transport = new LocalAudioBackend({ driver: "pulse", pulseServer: daemon.server });
      const error = await transport.accept(realSession(), null).catch((caught) => caught);
      expect(TransportError.isInstance(error)).toBe(true);
      expect((error as Error).message).toContain("apt-get install pulseaudio-utils");
    } finally {
      process.env.PATH = saved;
    }
    expect(await helpers()).toEqual([]);
  });
});
