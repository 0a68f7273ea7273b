// Run by demo-webrtc.browser.test.ts (inside `unshare -n` when root, where only `lo` exists): the demo on the offline
// Gemini Live fake, and Chromium loading the page in WebRTC mode with the fake microphone playing fixtures/speech.wav.
// `DEMO_PLAY=datachannel` plays the μ-law DataChannel audio instead of the Opus track. Prints one JSON line of
// measurements; the test asserts on it.
import { silentLogger } from "@roomkit/spec";
import type { Page } from "playwright-core";
import { launchChromium } from "../browser-harness.ts";
import { createDemoProvider } from "../demo-provider.ts";
import { providerServerOptions, startDemoServer } from "../demo-server.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(predicate: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await predicate()) return true;
    await sleep(20);
  }
  return predicate();
}

interface PageSnapshot {
  state: string;
  stats: { framesSent: number; audioMessagesReceived: number; playbackReportsSent: number };
  bubbles: Array<{ role: string; text: string; final: boolean }>;
  messageTypes: Record<string, number>;
}

const snapshot = (page: Page) =>
  page.evaluate(() => (window as unknown as { roomkitDemo: { snapshot(): PageSnapshot } }).roomkitDemo.snapshot());
const measure = (page: Page) =>
  page.evaluate(() =>
    (
      window as unknown as { roomkitDemo: { measureOutput(): { hz: number; peak: number } } }
    ).roomkitDemo.measureOutput(),
  );

const gemini = await createDemoProvider("offline-gemini", silentLogger);
const demo = await startDemoServer({
  ...providerServerOptions(gemini),
  port: 0,
  hostname: "127.0.0.1",
  databasePath: ":memory:",
  logger: silentLogger,
});
const fake = gemini.geminiFake!;
const browser = await launchChromium(undefined, ["--allow-loopback-in-peer-connection"]);
const result: Record<string, unknown> = {};
try {
  const page = await browser.newPage();
  const play = process.env.DEMO_PLAY === "datachannel" ? "&play=datachannel" : "";
  await page.goto(`${demo.url}/?transport=webrtc&room=rtc-room${play}`);
  await page.waitForFunction(() => "roomkitDemo" in window, undefined, { timeout: 15_000 });
  result.transportLabel = await page.textContent("[data-testid=transport]");
  await page.click("[data-testid=talk]");
  result.connected = await until(async () => (await snapshot(page)).state === "connected", 15_000);
  result.sessionStarted = await until(() => demo.webrtcChannel.getRoomSessions("rtc-room").length === 1, 15_000);
  result.webrtcPeers = demo.webrtcTransport.peerCount;
  result.webSocketSessions = demo.transport.sessionCount;

  // The fake microphone reaches the Gemini fake: a second of audio, then a caller turn it transcribed.
  const audioBytes = () => fake.connections.reduce((sum, connection) => sum + connection.audioBytes, 0);
  result.micReached = await until(() => audioBytes() >= 16000 * 2, 15_000);
  result.userTranscript = await until(
    async () => (await snapshot(page)).bubbles.some((bubble) => bubble.role === "user" && bubble.final),
    20_000,
  );

  // The reply (the fake's 330 Hz tone) plays from the Opus track: measured on the page's analyser.
  let best = { hz: 0, peak: 0 };
  result.played = await until(async () => {
    const now = await measure(page);
    if (now.peak > best.peak) best = now;
    return now.peak > 0.1;
  }, 20_000);
  await sleep(150);
  const steady = await measure(page);
  result.playing = steady.peak > best.peak / 2 ? steady : best;

  // The WAV loops: the caller speaks over the reply, the channel barges in, clear_audio reaches the page, the
  // transport drops the rest of the reply and the page goes quiet.
  result.clearSeen = await until(async () => ((await snapshot(page)).messageTypes.clear_audio ?? 0) > 0, 20_000);
  await sleep(300); // packets in flight and the page's 250 ms stats refresh
  const packetsAtClear = (await snapshot(page)).stats.audioMessagesReceived;
  result.afterClear = await measure(page);
  await sleep(400);
  result.packetsAfterClear = (await snapshot(page)).stats.audioMessagesReceived - packetsAtClear;
  result.laterAfterClear = await measure(page);
  const final = await snapshot(page);
  result.bubbles = final.bubbles.slice(0, 6);
  result.packetsSent = final.stats.framesSent;
  result.playbackReportsSent = final.stats.playbackReportsSent;

  // Stop: the page hangs up, the server frees the peer and ends the session.
  await page.click("[data-testid=talk]");
  result.peersFreed = await until(() => demo.webrtcTransport.peerCount === 0, 5000);
  result.sessionEnded = await until(
    () => demo.webrtcChannel.getRoomSessions("rtc-room").every((session) => !session.isActive),
    5000,
  );
  result.webrtcStats = { ...demo.webrtcTransport.stats };
} catch (error) {
  result.error = String((error as Error)?.stack ?? error);
} finally {
  await browser.close();
  await demo.stop();
  await gemini.stop();
}
console.log(JSON.stringify(result));
process.exit(0);
