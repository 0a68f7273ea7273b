// The demo in Chromium on the offline Gemini Live fake (issue 13, item 7: the page showed no caller transcripts).
// The fake sends the rest of the caller's transcription after the reply began on every second turn (its default), so
// two turns cover both orders. Requires /usr/bin/chromium (apps/demo/scripts/setup-browser.sh).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { silentLogger } from "@roomkit/spec";
import { waitFor } from "@roomkit/testing";
import type { Browser } from "playwright-core";
import { launchChromium } from "./browser-harness.ts";
import { createDemoProvider, type DemoProvider } from "./demo-provider.ts";
import { type DemoServer, providerServerOptions, startDemoServer } from "./demo-server.ts";

interface Bubble {
  role: string;
  text: string;
  final: boolean;
}

let browser: Browser | undefined;
let demo: DemoServer | undefined;
let gemini: DemoProvider | undefined;

beforeAll(async () => {
  gemini = await createDemoProvider("offline-gemini", silentLogger);
  demo = await startDemoServer({
    ...providerServerOptions(gemini),
    port: 0,
    hostname: "127.0.0.1",
    databasePath: ":memory:",
    logger: silentLogger,
  });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
  await gemini?.stop();
});

describe("demo in Chromium (offline Gemini Live fake)", () => {
  test("the caller's transcript appears in the page on two turns (the second one late), in order, and in the timeline", async () => {
    if (browser === undefined || demo === undefined) throw new Error("setup failed (see beforeAll)");
    const page = await browser.newPage();
    await page.goto(demo.url);
    await page.waitForFunction(() => "roomkitDemo" in window, undefined, { timeout: 15_000 });
    expect(await page.textContent("[data-testid=provider-badge]")).toContain("Gemini fake");
    await page.click("[data-testid=talk]");
    await page.waitForFunction(
      () => {
        const demoPage = (window as unknown as { roomkitDemo: { snapshot(): { bubbles: Bubble[] } } }).roomkitDemo;
        const bubbles = demoPage.snapshot().bubbles;
        return bubbles.filter((bubble) => bubble.role === "user" && bubble.final).length >= 2;
      },
      undefined,
      { timeout: 45_000, polling: 50 },
    );
    const bubbles = await page.evaluate(
      () =>
        (window as unknown as { roomkitDemo: { snapshot(): { bubbles: Bubble[] } } }).roomkitDemo.snapshot().bubbles,
    );
    const users = bubbles.filter((bubble) => bubble.role === "user");
    const finals = users.filter((bubble) => bubble.final);
    for (const user of finals) expect(user.text).toMatch(/^\[\d+ ms of audio\]$/);
    // One bubble per caller turn (the late rest of a transcription does not open a second one), each before its reply.
    expect(users.length - finals.length).toBeLessThanOrEqual(1);
    expect(bubbles.slice(0, 4).map((bubble) => bubble.role)).toEqual(["user", "assistant", "user", "assistant"]);
    const shown = await page.locator("[data-testid=bubbles] li[data-role=user][data-final=true]").allTextContents();
    expect(shown.slice(0, 2)).toEqual(finals.slice(0, 2).map((bubble) => bubble.text));
    const roomId = (await page.textContent("[data-testid=room-id]"))!;
    const timeline = (await (await fetch(`${demo.url}/rooms/${roomId}/timeline`)).json()) as {
      events: Array<{ content: { body?: string } }>;
    };
    const bodies = timeline.events.map((event) => event.content.body ?? "");
    expect(bodies).toContain(finals[0]!.text);
    await page.click("[data-testid=talk]");
    await page.close();
  }, 90_000);
});
