// Run by chromium.browser.test.ts (inside `unshare -n`, where only `lo` exists): the transport inside RoomKit + the
// channel with the mock provider on Bun.serve, and Debian's Chromium (playwright-core) loading the FastRTC client
// page with a fake microphone playing a 440 Hz WAV. Prints one JSON line of measurements; the test asserts on it.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateTone, writeWav } from "@roomkit/audio";
import { MemoryConversationStore, RoomKit } from "@roomkit/core";
import { RealtimeVoiceChannel } from "@roomkit/realtime-channel";
import { silentLogger, type VoiceSession } from "@roomkit/spec";
import { MockRealtimeProvider } from "@roomkit/testing";
import { chromium } from "playwright-core";
import { FastRTCRealtimeTransport } from "../fastrtc-realtime-transport.ts";
import { createFastRTCOfferHandler } from "../signalling/offer-handler.ts";
import { fastRTCClientPage } from "./fastrtc-client-page.ts";
import { concatPcm, LOOPBACK_ICE, rms, zeroCrossingHz } from "./werift-client.ts";

const CHROMIUM = process.env.ROOMKIT_CHROMIUM_PATH ?? process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(predicate: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await predicate()) return true;
    await sleep(20);
  }
  return predicate();
}

const directory = mkdtempSync(join(tmpdir(), "roomkit-webrtc-"));
const wav = join(directory, "tone440.wav");
writeFileSync(
  wav,
  writeWav({
    data: generateTone({ frequency: 440, durationMs: 4000, sampleRate: 48000, amplitude: 0.5 }),
    sampleRate: 48000,
  }),
);

const transport = new FastRTCRealtimeTransport({ ...LOOPBACK_ICE, outboundAudio: "both", logger: silentLogger });
const handler = createFastRTCOfferHandler(transport, { path: "" });
const page = fastRTCClientPage();
const server = Bun.serve({
  port: 0,
  hostname: "127.0.0.1",
  fetch: (request) =>
    new URL(request.url).pathname === "/"
      ? new Response(page, { headers: { "content-type": "text/html" } })
      : handler(request),
});
const kit = new RoomKit({ store: new MemoryConversationStore(), logger: silentLogger });
const provider = new MockRealtimeProvider({ logger: silentLogger });
const channel = new RealtimeVoiceChannel("voice", {
  provider,
  transport,
  inputSampleRate: 16000,
  outputSampleRate: 24000,
  logger: silentLogger,
});
kit.registerChannel(channel);
await kit.createRoom({ roomId: "room-1" });
await kit.attachChannel("room-1", "voice");
let session: VoiceSession | undefined;
let webrtcId = "";
transport.onClientConnected(async (id) => {
  webrtcId = id;
  session = await channel.startSession("room-1", "browser", { connection: id });
});
let disconnectedAt = 0;
transport.onClientDisconnected(() => {
  disconnectedAt = performance.now();
});

const result: Record<string, unknown> = {};
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
    `--use-file-for-fake-audio-capture=${wav}`,
    "--allow-loopback-in-peer-connection",
    "--autoplay-policy=no-user-gesture-required",
  ],
});
try {
  const tab = await browser.newPage();
  await tab.goto(`http://127.0.0.1:${server.port}/`);
  const started = performance.now();
  await tab.evaluate(() => (globalThis as unknown as { setupWebRTC: () => Promise<void> }).setupWebRTC());
  result.sessionStarted = await until(() => session !== undefined, 10_000);
  result.connectMs = Math.round(performance.now() - started);
  result.webrtcId = webrtcId;
  const measure = () =>
    tab.evaluate(() => (globalThis as unknown as { __measure: () => Promise<unknown> }).__measure());

  // The fake microphone reaches the provider.
  const heardBytes = () => provider.sentAudio.reduce((sum, entry) => sum + entry.audio.byteLength, 0);
  result.micReached = await until(() => heardBytes() >= 2 * 16000 * 1.5, 10_000);
  const heard = concatPcm(provider.sentAudio.map((entry) => entry.audio));
  const tail = heard.subarray(Math.max(0, heard.byteLength - 32000));
  result.micHz = zeroCrossingHz(tail, 16000);
  result.micRms = rms(tail);
  result.inputFrames = transport.stats.audioFramesReceived;

  // The assistant answers: 3 s of 1 kHz, paced, on the DataChannel (μ-law) and the Opus track.
  const current = session!;
  await provider.simulateResponseStart(current);
  await provider.simulateAudio(current, generateTone({ frequency: 1000, durationMs: 3000, sampleRate: 24000 }));
  await sleep(1200);
  const during = (await measure()) as Record<string, number>;
  result.during = during;

  // Barge-in: the channel interrupts the transport, clear_audio goes out, the paced rest is dropped.
  await provider.simulateSpeechStart(current);
  await sleep(300);
  const afterClear = (await measure()) as Record<string, number>;
  await sleep(700);
  const later = (await measure()) as Record<string, number>;
  result.afterClear = afterClear;
  result.later = later;
  result.packetsAfterClear = later.packetsReceived - afterClear.packetsReceived;
  result.mediaAfterClear = later.mediaAfterClear;

  // The browser hangs up: the server notices at once (DataChannel/DTLS close), not ~27 s later.
  const hangUp = performance.now();
  await tab.evaluate(() => (globalThis as unknown as { __pc: { close(): void } }).__pc.close());
  result.hangUpDetected = await until(() => disconnectedAt > 0, 5000);
  result.hangUpMs = Math.round(disconnectedAt - hangUp);
  result.peersLeft = transport.peerCount;
} catch (error) {
  result.error = String((error as Error)?.stack ?? error);
} finally {
  await browser.close();
  await kit.close();
  await transport.close();
  server.stop(true);
  rmSync(directory, { recursive: true, force: true });
}
console.log(JSON.stringify(result));
process.exit(0);
