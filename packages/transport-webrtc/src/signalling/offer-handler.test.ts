// The signalling route with raw requests: FastRTC's bodies and status codes, bad input as clear 4xx, auth before any
// peer exists, the concurrency rule, ICE candidate replies, and a short fuzz run that must leave no peer behind.
import { afterEach, beforeEach, expect, test } from "bun:test";
import { createRecordingLogger, RoomKitConfigError } from "@roomkit/spec";
import { waitFor } from "@roomkit/testing";
import { FastRTCRealtimeTransport } from "../fastrtc-realtime-transport.ts";
import { openUdpSockets } from "../test-support/udp-sockets.ts";
import { LOOPBACK_ICE, WeriftTestClient } from "../test-support/werift-client.ts";
import { createFastRTCOfferHandler, type FastRTCOfferHandlerOptions } from "./offer-handler.ts";

const cleanups: Array<() => Promise<void> | void> = [];
let udpBefore = 0;
beforeEach(() => {
  udpBefore = openUdpSockets();
});
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
  // No peer outlives its test: every ICE socket is closed again.
  await waitFor(() => openUdpSockets() <= udpBefore, { timeoutMs: 3000, label: "UDP sockets released" });
});

function setup(options: FastRTCOfferHandlerOptions = {}) {
  const transport = new FastRTCRealtimeTransport({ ...LOOPBACK_ICE, logger: createRecordingLogger() });
  const handler = createFastRTCOfferHandler(transport, { path: "/rtc", ...options });
  cleanups.push(() => transport.close());
  return { transport, handler };
}

function serve(handler: (request: Request) => Promise<Response>) {
  const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: handler });
  cleanups.push(() => server.stop(true));
  return `http://127.0.0.1:${server.port}/rtc/webrtc/offer`;
}

const URL_ = "http://127.0.0.1/rtc/webrtc/offer";
const post = (body: string, headers: Record<string, string> = {}) =>
  new Request(URL_, { method: "POST", body, headers: { "content-type": "application/json", ...headers } });

async function reply(response: Response) {
  return { status: response.status, type: response.headers.get("content-type"), body: await response.json() };
}

/** A real offer (from a werift client that is never connected), for routes that need a valid SDP. */
async function realOffer(): Promise<string> {
  const client = new WeriftTestClient("http://127.0.0.1:9/unused");
  client.pc.addTransceiver(client.track, { direction: "sendrecv" });
  client.pc.createDataChannel("text");
  await client.pc.setLocalDescription(await client.pc.createOffer());
  const sdp = client.pc.localDescription!.sdp;
  await client.close();
  return sdp;
}

test("other paths are 404 and other methods 405, as JSON", async () => {
  const { handler } = setup();
  expect(await reply(await handler(new Request("http://127.0.0.1/other", { method: "POST" })))).toEqual({
    status: 404,
    type: "application/json",
    body: { detail: "Not Found" },
  });
  expect((await reply(await handler(new Request(URL_)))).status).toBe(405);
  expect(handler.route).toBe("/rtc/webrtc/offer");
});

test("invalid JSON, a non-object, missing or non-string fields: 422 with FastAPI's detail list, no peer", async () => {
  const { handler, transport } = setup();
  const invalid = await reply(await handler(post("{not json")));
  expect(invalid.status).toBe(422);
  expect((invalid.body as { detail: Array<{ type: string }> }).detail[0]!.type).toBe("json_invalid");
  expect((await reply(await handler(post("[1,2]")))).status).toBe(422);
  const missing = await reply(await handler(post(JSON.stringify({ sdp: "v=0" }))));
  expect(missing.body).toEqual({
    detail: [
      { type: "missing", loc: ["body", "type"], msg: "Field required" },
      { type: "missing", loc: ["body", "webrtc_id"], msg: "Field required" },
    ],
  });
  const noSdp = await reply(await handler(post(JSON.stringify({ type: "offer", webrtc_id: "a" }))));
  expect(noSdp).toMatchObject({ status: 422, body: { detail: [{ loc: ["body", "sdp"] }] } });
  const numberId = await reply(await handler(post(JSON.stringify({ type: "offer", webrtc_id: 5, sdp: "v=0" }))));
  expect(numberId).toMatchObject({
    status: 422,
    body: { detail: [{ type: "string_type", loc: ["body", "webrtc_id"] }] },
  });
  const answer = await reply(await handler(post(JSON.stringify({ type: "answer", webrtc_id: "a", sdp: "v=0" }))));
  expect(answer).toMatchObject({ status: 422, body: { detail: [{ type: "literal_error" }] } });
  expect(transport.peerCount).toBe(0);
  expect(transport.stats.peersOpened).toBe(0);
});

test("an SDP that is not one, or has no audio, is 400 before a peer is created; garbage SDP is 400 and freed", async () => {
  const { handler, transport } = setup();
  const text = await reply(await handler(post(JSON.stringify({ type: "offer", webrtc_id: "a", sdp: "hello" }))));
  expect(text).toEqual({ status: 400, type: "application/json", body: { detail: expect.stringContaining("v=0") } });
  const video = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\n";
  const noAudio = await reply(await handler(post(JSON.stringify({ type: "offer", webrtc_id: "a", sdp: video }))));
  expect(noAudio.status).toBe(400);
  expect(String((noAudio.body as { detail: string }).detail)).toContain("no audio");
  expect(transport.stats.peersOpened).toBe(0);
  const garbage = "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=garbage\r\n";
  const broken = await reply(await handler(post(JSON.stringify({ type: "offer", webrtc_id: "b", sdp: garbage }))));
  expect(broken.status).toBe(400);
  expect(String((broken.body as { detail: string }).detail)).toStartWith("invalid_sdp");
  expect(transport.peerCount).toBe(0);
});

test("a body above maxBodyBytes is 413 (declared or streamed)", async () => {
  const { handler } = setup({ maxBodyBytes: 1024 });
  const huge = JSON.stringify({ type: "offer", webrtc_id: "a", sdp: `v=0${"x".repeat(4096)}` });
  expect((await handler(post(huge))).status).toBe(413);
  const stream = new ReadableStream({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(huge));
      controller.close();
    },
  });
  const streamed = new Request(URL_, { method: "POST", body: stream });
  expect((await handler(streamed)).status).toBe(413);
});

test("auth: refused (null) is 403 unauthorized, a throw 403 auth_error, both before any peer; metadata reaches the session", async () => {
  const seen: Array<{ webrtcId: string; type: string; token: string | null }> = [];
  const { handler, transport } = setup({
    auth: ({ webrtcId, request, type }) => {
      const token = request.headers.get("x-token");
      seen.push({ webrtcId, type, token });
      if (token === "boom") throw new Error("database down");
      return token === "good" ? { user: "ada" } : null;
    },
  });
  const sdp = await realOffer();
  const body = (id: string) => JSON.stringify({ type: "offer", webrtc_id: id, sdp });
  expect(await reply(await handler(post(body("x"), { "x-token": "bad" })))).toEqual({
    status: 403,
    type: "application/json",
    body: { detail: "unauthorized" },
  });
  expect((await reply(await handler(post(body("y"), { "x-token": "boom" })))).body).toEqual({ detail: "auth_error" });
  const ice = post(JSON.stringify({ type: "ice-candidate", webrtc_id: "x", candidate: {} }), { "x-token": "bad" });
  expect((await handler(ice)).status).toBe(403);
  expect(transport.stats.peersOpened).toBe(0);
  expect(seen.map((entry) => entry.type)).toEqual(["offer", "offer", "ice-candidate"]);

  const accepted = await reply(await handler(post(body("z"), { "x-token": "good" })));
  expect(accepted.status).toBe(200);
  expect(accepted.body).toMatchObject({ type: "answer", sdp: expect.stringContaining("m=audio") });
  expect(transport.getPeer("z")!.metadata).toEqual({ user: "ada" });
});

test("the answer carries the server's candidates; a second live offer gets concurrency_limit_reached, a duplicate id connection_already_exists (HTTP 200)", async () => {
  const { handler, transport } = setup({ concurrencyLimit: 1 });
  const sdp = await realOffer();
  const first = await reply(await handler(post(JSON.stringify({ type: "offer", webrtc_id: "one", sdp }))));
  expect(first.status).toBe(200);
  expect((first.body as { sdp: string }).sdp).toContain("a=candidate:");
  expect((first.body as { sdp: string }).sdp).toContain("127.0.0.1");
  const again = await reply(await handler(post(JSON.stringify({ type: "offer", webrtc_id: "one", sdp }))));
  expect(again).toEqual({
    status: 200,
    type: "application/json",
    body: { status: "failed", meta: { error: "connection_already_exists" } },
  });
  const second = await reply(await handler(post(JSON.stringify({ type: "offer", webrtc_id: "two", sdp }))));
  expect(second.body).toEqual({ status: "failed", meta: { error: "concurrency_limit_reached", limit: 1 } });
  expect(transport.peerCount).toBe(1);
  // The slot is freed when the peer closes: the next offer is admitted.
  await transport.getPeer("one")!.close("disconnect");
  expect(transport.peerCount).toBe(0);
  const third = await reply(await handler(post(JSON.stringify({ type: "offer", webrtc_id: "three", sdp }))));
  expect(third.status).toBe(200);
});

test("ICE candidate posts: unknown_connection, invalid_candidate_format, success, connection_closed", async () => {
  const { handler, transport } = setup({ concurrencyLimit: 5 });
  const ice = (id: string, candidate: unknown) =>
    handler(post(JSON.stringify({ type: "ice-candidate", webrtc_id: id, candidate })));
  const good = {
    candidate: "candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host generation 0",
    sdpMid: "0",
    sdpMLineIndex: 0,
  };
  expect((await reply(await ice("nobody", good))).body).toEqual({
    status: "failed",
    meta: { error: "unknown_connection" },
  });
  const sdp = await realOffer();
  expect((await handler(post(JSON.stringify({ type: "offer", webrtc_id: "p", sdp })))).status).toBe(200);
  for (const bad of [{ candidate: "" }, { candidate: "candidate:1 1 udp" }, "text", null, { candidate: 5 }]) {
    expect((await reply(await ice("p", bad))).body).toEqual({
      status: "failed",
      meta: { error: "invalid_candidate_format" },
    });
  }
  // Safari's 8-field form is accepted too.
  expect((await reply(await ice("p", good))).body).toEqual({ status: "success" });
  const safari = { candidate: "candidate:2 1 udp 2122260223 127.0.0.1 50001 typ host", sdpMid: "0" };
  expect((await reply(await ice("p", safari))).body).toEqual({ status: "success" });
  const peer = transport.getPeer("p")!;
  const closing = peer.close("disconnect");
  expect((await reply(await ice("p", good))).body).toEqual({ status: "failed", meta: { error: "connection_closed" } });
  await closing;
  expect((await reply(await ice("p", good))).body).toEqual({ status: "failed", meta: { error: "unknown_connection" } });
});

test("CORS: OPTIONS preflight and the allow-origin header when `cors` is set", async () => {
  const { handler } = setup({ cors: "https://app.example" });
  const preflight = await handler(
    new Request(URL_, { method: "OPTIONS", headers: { "access-control-request-headers": "content-type" } }),
  );
  expect(preflight.status).toBe(204);
  expect(preflight.headers.get("access-control-allow-origin")).toBe("https://app.example");
  const bad = await handler(post("{"));
  expect(bad.headers.get("access-control-allow-origin")).toBe("https://app.example");
});

test("bad handler options throw RoomKitConfigError naming the field", () => {
  const transport = new FastRTCRealtimeTransport({ ...LOOPBACK_ICE });
  expect(() => createFastRTCOfferHandler(transport, { path: "rtc/" })).toThrow(RoomKitConfigError);
  expect(() => createFastRTCOfferHandler(transport, { concurrencyLimit: 0 })).toThrow(/concurrencyLimit/);
  expect(() => createFastRTCOfferHandler(transport, { auth: "yes" as never })).toThrow(/auth/);
});

test("fuzz: 300 random bodies over real HTTP never give a 5xx and leave no peer", async () => {
  const { handler, transport } = setup({ concurrencyLimit: 3 });
  const url = serve(handler);
  let seed = 12345;
  const random = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const pieces = [
    '{"type":"offer"',
    '"webrtc_id":"f"',
    '"sdp":"v=0\\r\\nm=audio 9 RTP/AVP 0\\r\\n"',
    '"candidate":{"candidate":"candidate:1 1 udp 1 127.0.0.1 9 typ host"}',
    '"type":"ice-candidate"',
    "null",
    "[]",
    '"\\u0000"',
    "}",
    ",",
    ":",
    "{",
    '"sdp":5',
  ];
  const statuses = new Set<number>();
  for (let index = 0; index < 300; index++) {
    let body = "";
    const parts = 1 + Math.floor(random() * 6);
    for (let part = 0; part < parts; part++) body += pieces[Math.floor(random() * pieces.length)];
    const response = await fetch(url, { method: "POST", body, headers: { "content-type": "application/json" } });
    statuses.add(response.status);
    expect(response.status).toBeLessThan(500);
    await response.arrayBuffer();
  }
  expect(statuses.has(422)).toBe(true);
  await waitFor(() => transport.peerCount === 0, { timeoutMs: 5000, label: "no peer left" });
});
