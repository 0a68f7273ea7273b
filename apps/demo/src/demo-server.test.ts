// The demo server without a browser: HTTP routes, and one voice session over /ws against the offline fake.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { silentLogger } from "@roomkit/spec";
import { waitFor } from "@roomkit/testing";
import { SPEECH_WAV } from "./browser-harness.ts";
import { createDemoProvider, type DemoProvider } from "./demo-provider.ts";
import { type DemoServer, providerServerOptions, startDemoServer } from "./demo-server.ts";

let demo: DemoServer;
let offline: DemoProvider;
let directory = "";

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), "roomkit-demo-server-"));
  offline = await createDemoProvider("offline", silentLogger);
  demo = await startDemoServer({
    ...providerServerOptions(offline),
    port: 0,
    hostname: "127.0.0.1",
    databasePath: join(directory, "data", "demo.sqlite"),
    logger: silentLogger,
  });
}, 30_000);

afterAll(async () => {
  await demo?.stop();
  await offline?.stop();
  rmSync(directory, { recursive: true, force: true });
});

describe("demo server", () => {
  test("serves the page, its bundled script, and the mode", async () => {
    const page = await fetch(`${demo.url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('data-testid="talk"');
    const script = await fetch(`${demo.url}/app.js`);
    expect(script.headers.get("content-type")).toContain("javascript");
    const source = await script.text();
    expect(source).toContain("registerProcessor");
    expect(source).not.toContain("import ");
    const config = (await (await fetch(`${demo.url}/config`)).json()) as Record<string, unknown>;
    expect(config).toMatchObject({ provider: "offline", inputSampleRate: 16000, outputSampleRate: 24000 });
    expect(String(config.mode)).toContain("Offline mode");
    // The WebRTC mode: the browser client is in the bundle, the FastRTC route is mounted beside /ws.
    expect(source).toContain("class FastRTCClient");
    expect(config.webrtcOfferUrl).toBe("/rtc-realtime/webrtc/offer");
    const badOffer = await fetch(`${demo.url}/rtc-realtime/webrtc/offer?room=r1`, { method: "POST", body: "{oops" });
    expect(badOffer.status).toBe(422);
    expect(demo.webrtcTransport.peerCount).toBe(0);
  });

  test("timeline: 404 for an unknown room, 400 for a bad id", async () => {
    expect((await fetch(`${demo.url}/rooms/nope-${Date.now()}/timeline`)).status).toBe(404);
    expect((await fetch(`${demo.url}/rooms/${encodeURIComponent("a b")}/timeline`)).status).toBe(400);
  });

  test("typed messages: bad bodies are 400, a room without a live session is 409", async () => {
    const post = (body: string) =>
      fetch(`${demo.url}/rooms/no-session-room/text`, {
        method: "POST",
        body,
        headers: { "content-type": "application/json" },
      });
    expect((await post("{oops")).status).toBe(400);
    expect((await post(JSON.stringify({ text: "" }))).status).toBe(400);
    expect((await post(JSON.stringify({ text: "x".repeat(2001) }))).status).toBe(400);
    expect((await post(JSON.stringify({ text: "hello" }))).status).toBe(409);
  });

  test("a WebSocket caller speaks; the echo comes back, a typed message calls a tool, the transcript survives a restart", async () => {
    const roomId = `room-ws-${Date.now().toString(36)}`;
    const socket = new WebSocket(`${demo.url.replace("http", "ws")}/ws?room=${roomId}`);
    socket.binaryType = "arraybuffer";
    const messages: Array<Record<string, unknown>> = [];
    let audioBytes = 0;
    socket.addEventListener("message", (event) => {
      if (typeof event.data === "string") messages.push(JSON.parse(event.data));
      else audioBytes += (event.data as ArrayBuffer).byteLength;
    });
    await waitFor(() => messages.some((message) => message.type === "session_started"), {
      timeoutMs: 10_000,
      label: "session_started",
    });

    // One utterance of the test WAV (16 kHz, the session's input rate) then silence, in 20 ms frames.
    const wav = readFileSync(SPEECH_WAV);
    const pcm = new Uint8Array(wav.buffer, wav.byteOffset + 44, wav.byteLength - 44);
    const silence = new Uint8Array(640);
    for (let offset = 0; offset + 640 <= pcm.byteLength; offset += 640) socket.send(pcm.subarray(offset, offset + 640));
    for (let index = 0; index < 50; index++) socket.send(silence);

    await waitFor(
      () => messages.some((message) => message.type === "transcription" && message.role === "user" && message.is_final),
      { timeoutMs: 15_000, label: "user transcript" },
    );
    await waitFor(() => audioBytes > 24_000, { timeoutMs: 15_000, label: "echoed audio" });
    const userText = messages.find(
      (message) => message.type === "transcription" && message.role === "user" && message.is_final,
    )!.text as string;
    expect(userText).toMatch(/ms of audio/);

    let bodies: string[] = [];
    await waitFor(
      async () => {
        const timeline = (await (await fetch(`${demo.url}/rooms/${roomId}/timeline`)).json()) as {
          events: Array<{ content: { body?: string } }>;
        };
        bodies = timeline.events.map((event) => event.content.body ?? "");
        return bodies.includes(userText);
      },
      { timeoutMs: 10_000, intervalMs: 100, label: "the user transcript in the room timeline" },
    );
    expect(bodies).toContain(userText);

    // A typed message into the same session: the fake's brain calls the tool; the page gets a tool_call message.
    await waitFor(
      () => messages.some((message) => message.type === "speaking" && message.who === "assistant" && !message.speaking),
      { timeoutMs: 15_000, label: "end of the echo" },
    );
    const typed = await fetch(`${demo.url}/rooms/${roomId}/text`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text: '[[call:lookup_order {"order_id":"A-42"}]]' }),
    });
    expect(typed.status).toBe(202);
    await waitFor(() => messages.some((message) => message.type === "tool_call"), {
      timeoutMs: 15_000,
      label: "tool_call message",
    });
    const call = messages.find((message) => message.type === "tool_call")!;
    expect(call).toMatchObject({ name: "lookup_order", arguments: { order_id: "A-42" } });
    expect(JSON.parse(call.result as string)).toMatchObject({ status: "shipped", order_id: "A-42" });
    socket.close();

    // Restart on the same SQLite file: the transcript is still there.
    await demo.stop();
    demo = await startDemoServer({
      provider: offline.provider,
      providerKind: offline.kind,
      label: offline.label,
      mode: offline.mode,
      port: 0,
      hostname: "127.0.0.1",
      databasePath: join(directory, "data", "demo.sqlite"),
      logger: silentLogger,
    });
    const afterRestart = (await (await fetch(`${demo.url}/rooms/${roomId}/timeline`)).json()) as {
      events: Array<{ content: { body?: string } }>;
    };
    expect(afterRestart.events.map((event) => event.content.body ?? "")).toContain(userText);
  }, 40_000);
});
