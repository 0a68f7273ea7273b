// The demo in a real browser (Chromium + playwright-core), offline mode: the OpenAI fake with its echo brain.
// Requires /usr/bin/chromium (apps/demo/scripts/setup-browser.sh); without it these tests FAIL with instructions.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BargeInEvent, HookExecution, HookTrigger, silentLogger } from "@roomkit/spec";
import { waitFor } from "@roomkit/testing";
import type { Browser, Page } from "playwright-core";
import { launchChromium } from "./browser-harness.ts";
import { createDemoProvider, type DemoProvider } from "./demo-provider.ts";
import { type DemoServer, providerServerOptions, startDemoServer } from "./demo-server.ts";

const SCREENSHOT = join(import.meta.dir, "..", "..", "..", "docs", "images", "demo.png");

interface Snapshot {
  state: string;
  stats: {
    framesSent: number;
    audioMessagesReceived: number;
    playedMs: number;
    bufferedMs: number;
    clears: number;
    playbackReportsSent: number;
  };
  bubbles: Array<{ role: string; text: string; final: boolean }>;
  clears: Array<{ latencyMs: number; bufferedMsBefore: number; discarded: number }>;
  toolCalls: Array<{ name: string; arguments: Record<string, unknown>; result?: string }>;
  speaking: { user: boolean; assistant: boolean };
}

let browser: Browser | undefined;
let demo: DemoServer | undefined;
let offline: DemoProvider | undefined;
let directory = "";
const bargeIns: BargeInEvent[] = [];

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), "roomkit-demo-"));
  offline = await createDemoProvider("offline", silentLogger);
  demo = await startDemoServer({
    ...providerServerOptions(offline),
    port: 0,
    hostname: "127.0.0.1",
    databasePath: join(directory, "demo.sqlite"),
    logger: silentLogger,
  });
  demo.kit.hook(
    HookTrigger.ON_BARGE_IN,
    (event) => {
      bargeIns.push(event as BargeInEvent);
    },
    { execution: HookExecution.ASYNC, name: "test-barge-in" },
  );
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
  await offline?.stop();
  rmSync(directory, { recursive: true, force: true });
});

async function openDemo(): Promise<Page> {
  if (browser === undefined || demo === undefined) throw new Error("setup failed (see beforeAll)");
  const page = await browser.newPage({ viewport: { width: 1100, height: 720 } });
  await page.goto(demo.url);
  await page.waitForFunction(() => "roomkitDemo" in window, undefined, { timeout: 15_000 });
  return page;
}

function snapshot(page: Page): Promise<Snapshot> {
  return page.evaluate(() => (window as unknown as { roomkitDemo: { snapshot(): Snapshot } }).roomkitDemo.snapshot());
}

async function waitForSnapshot(page: Page, predicate: string, timeout = 30_000): Promise<Snapshot> {
  await page.waitForFunction(`(() => { const s = window.roomkitDemo.snapshot(); return ${predicate}; })()`, undefined, {
    timeout,
    polling: 50,
  });
  return snapshot(page);
}

describe("demo in Chromium (offline mode)", () => {
  test("talk: frames go out, the user's bubble appears, the echo plays, the timeline holds the transcript", async () => {
    const page = await openDemo();
    expect(await page.textContent("[data-testid=provider-badge]")).toContain("Offline");
    expect(await page.textContent("[data-testid=mode]")).toContain("Offline mode");

    await page.click("[data-testid=talk]");
    const sent = await waitForSnapshot(page, "s.stats.framesSent >= 25", 15_000);
    expect(sent.state).toBe("connected");

    const withUser = await waitForSnapshot(
      page,
      "s.bubbles.some((b) => b.role === 'user' && b.final && b.text.length > 0)",
    );
    const userText = withUser.bubbles.find((bubble) => bubble.role === "user" && bubble.final)!.text;

    const played = await waitForSnapshot(page, "s.stats.audioMessagesReceived > 0 && s.stats.playedMs > 200");
    expect(played.stats.audioMessagesReceived).toBeGreaterThan(0);
    expect(played.stats.playedMs).toBeGreaterThan(200);
    await waitForSnapshot(page, "s.stats.playbackReportsSent > 0", 10_000);
    expect(demo!.transport.stats.playbackReports).toBeGreaterThan(0);
    await waitForSnapshot(page, "s.bubbles.some((b) => b.role === 'assistant' && b.final)", 20_000).catch(
      () => undefined,
    );

    const roomId = (await page.textContent("[data-testid=room-id]"))!;
    const response = await fetch(`${demo!.url}/rooms/${roomId}/timeline`);
    expect(response.status).toBe(200);
    const timeline = (await response.json()) as { events: Array<{ content: { body?: string } }> };
    const bodies = timeline.events.map((event) => event.content.body ?? "");
    expect(bodies).toContain(userText);

    // Typed text: mute the mic (frames become silence), wait for the reply to end, then ask for a tool.
    await page.click("#mute");
    await waitForSnapshot(page, "!s.speaking.user && !s.speaking.assistant", 20_000);
    await page.fill("[data-testid=type-text]", '[[call:get_weather {"city":"Paris"}]]');
    await page.click("[data-testid=type-send]");
    const withTool = await waitForSnapshot(page, "s.toolCalls.length > 0", 20_000);
    expect(withTool.toolCalls[0]).toMatchObject({ name: "get_weather", arguments: { city: "Paris" } });
    expect(await page.textContent("[data-testid=tool-calls]")).toContain("sunny");
    await waitForSnapshot(page, "s.bubbles.filter((b) => b.role === 'assistant' && b.final).length >= 2", 20_000).catch(
      () => undefined,
    );

    mkdirSync(join(SCREENSHOT, ".."), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
    await page.click("[data-testid=talk]");
    await page.close();
  }, 90_000);

  test("barge-in: speech while the assistant plays clears the playback buffer within 100 ms", async () => {
    const page = await openDemo();
    await page.click("[data-testid=talk]");
    // The WAV loops: the caller speaks again while the echo of the previous utterance is still playing.
    const cleared = await waitForSnapshot(
      page,
      "s.clears.some((c) => c.bufferedMsBefore > 0 || c.discarded > 0)",
      45_000,
    );
    const bargeIn = cleared.clears.find((clear) => clear.bufferedMsBefore > 0 || clear.discarded > 0)!;
    expect(bargeIn.latencyMs).toBeLessThan(100);
    expect(bargeIn.discarded).toBeGreaterThan(0);
    // The server truncated the reply at what this page reported as played (not a wall-clock guess).
    const roomId = (await page.textContent("[data-testid=room-id]"))!;
    await waitFor(() => bargeIns.some((event) => event.session.roomId === roomId), {
      timeoutMs: 10_000,
      intervalMs: 20,
      label: "the barge-in hook for this room",
    });
    const bargeInEvent = bargeIns.find((event) => event.session.roomId === roomId)!;
    expect(bargeInEvent.positionSource).toBe("client");
    expect(bargeInEvent.audioPositionMs).toBeGreaterThan(0);
    const truncate = await offline!.fake!.waitForClientEvent((event) => event.type === "conversation.item.truncate", {
      includePast: true,
      timeoutMs: 10_000,
    });
    expect(Number(truncate.event.audio_end_ms)).toBeGreaterThan(0);
    await page.click("[data-testid=talk]");
    await page.close();
  }, 90_000);

  test("reconnect: a dropped socket is re-opened with back-off and audio flows again", async () => {
    const page = await openDemo();
    await page.click("[data-testid=talk]");
    await waitForSnapshot(page, "s.state === 'connected' && s.stats.framesSent > 10", 15_000);
    const roomId = (await page.textContent("[data-testid=room-id]"))!;
    const session = demo!.channel.getRoomSessions(roomId)[0]!;
    // A server restart-like close (1012): not final, so the client reconnects.
    demo!.transport.getConnection(session)!.close(1012, "service restart");
    const reconnected = await waitForSnapshot(page, "s.stats.reconnects >= 1 && s.state === 'connected'", 20_000);
    const framesAtReconnect = reconnected.stats.framesSent;
    await waitForSnapshot(page, `s.stats.framesSent > ${framesAtReconnect + 10}`, 10_000);
    expect(demo!.channel.getRoomSessions(roomId).length).toBe(1);
    await page.click("[data-testid=talk]");
    await page.close();
  }, 90_000);
});
