// mountFastRTCRealtime on the real frameworks: Hono (fetch), Express 5 (with and without express.json()), a
// Bun.serve routes object, and node:http through toNodeListener. Each serves the route over 127.0.0.1 and a werift
// client connects through it.
import { afterEach, beforeEach, expect, test } from "bun:test";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createRecordingLogger, InvalidArgumentError, RoomKitConfigError } from "@roomkit/spec";
import { waitFor } from "@roomkit/testing";
import express from "express";
import { Hono } from "hono";
import { toNodeListener } from "./adapters/node-listener.ts";
import { FastRTCRealtimeTransport } from "./fastrtc-realtime-transport.ts";
import { mountFastRTCRealtime } from "./mount.ts";
import { openUdpSockets } from "./test-support/udp-sockets.ts";
import { LOOPBACK_ICE, WeriftTestClient } from "./test-support/werift-client.ts";

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

function newTransport() {
  const transport = new FastRTCRealtimeTransport({ ...LOOPBACK_ICE, logger: createRecordingLogger() });
  cleanups.push(() => transport.close());
  return transport;
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as AddressInfo).port;
}

/** A werift client connects through the mounted route and the peer starts. */
async function connectsThrough(url: string, transport: FastRTCRealtimeTransport) {
  const client = new WeriftTestClient(url);
  cleanups.push(() => client.close());
  const reply = await client.connect();
  expect(reply.status).toBe(200);
  await waitFor(() => transport.getPeer(client.webrtcId)?.state === "started", { timeoutMs: 5000, label: "started" });
  const bad = await client.post({ type: "offer", webrtc_id: 7 });
  expect(bad.status).toBe(422);
  return client;
}

test("Hono: the route answers offers; other routes stay the app's", async () => {
  const transport = newTransport();
  const app = new Hono();
  app.get("/", (context) => context.text("home"));
  const handler = mountFastRTCRealtime(app, transport, { path: "/rtc-realtime" });
  expect(handler.route).toBe("/rtc-realtime/webrtc/offer");
  const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: app.fetch });
  cleanups.push(() => server.stop(true));
  await connectsThrough(`http://127.0.0.1:${server.port}/rtc-realtime/webrtc/offer`, transport);
  expect(await (await fetch(`http://127.0.0.1:${server.port}/`)).text()).toBe("home");
});

test("Express 5, with express.json() before it (body already parsed) and without", async () => {
  for (const parseJson of [true, false]) {
    const transport = newTransport();
    const app = express();
    if (parseJson) app.use(express.json());
    mountFastRTCRealtime(app, transport, { path: "/rtc" });
    app.get("/", (_request, response) => void response.send("home"));
    const port = await listen(createServer(app));
    await connectsThrough(`http://127.0.0.1:${port}/rtc/webrtc/offer`, transport);
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe("home");
  }
});

test("Bun.serve routes object and node:http via toNodeListener", async () => {
  const transport = newTransport();
  const routes: Record<string, (request: Request) => Promise<Response>> = {};
  mountFastRTCRealtime(routes, transport, { path: "/rtc", concurrencyLimit: 2 });
  expect(Object.keys(routes)).toEqual(["/rtc/webrtc/offer"]);
  const server = Bun.serve({ port: 0, hostname: "127.0.0.1", routes });
  cleanups.push(() => server.stop(true));
  await connectsThrough(`http://127.0.0.1:${server.port}/rtc/webrtc/offer`, transport);

  const handler = mountFastRTCRealtime(null, transport, { path: "/node", concurrencyLimit: 2 });
  const port = await listen(createServer(toNodeListener(handler)));
  await connectsThrough(`http://127.0.0.1:${port}/node/webrtc/offer`, transport);
  expect((await fetch(`http://127.0.0.1:${port}/elsewhere`, { method: "POST" })).status).toBe(404);
  const oversized = await fetch(`http://127.0.0.1:${port}/node/webrtc/offer`, {
    method: "POST",
    body: "x".repeat(2 * 1024 * 1024),
  });
  expect(oversized.status).toBe(413);
});

test("the mount's default concurrency limit is FastRTC's 1; unknown apps and bad options are refused", async () => {
  const transport = newTransport();
  const handler = mountFastRTCRealtime(null, transport, { path: "" });
  const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: handler });
  cleanups.push(() => server.stop(true));
  await connectsThrough(`http://127.0.0.1:${server.port}/webrtc/offer`, transport);
  const second = new WeriftTestClient(`http://127.0.0.1:${server.port}/webrtc/offer`);
  cleanups.push(() => second.close());
  expect((await second.connect()).body).toEqual({
    status: "failed",
    meta: { error: "concurrency_limit_reached", limit: 1 },
  });
  expect(() => mountFastRTCRealtime(new Map() as never, transport)).toThrow(InvalidArgumentError);
  expect(() => mountFastRTCRealtime(null, transport, { path: "/x/" })).toThrow(RoomKitConfigError);
});
