// Issue 19 (security): WebSocket upgrades are rate limited per remote address before anything is allocated — over
// real loopback sockets on both adapters, with a manual clock: `burst` allowed, the next refused, refill allowed again.
import { afterEach, describe, expect, test } from "bun:test";
import { type RateLimiter, RoomKitConfigError } from "@roomkit/spec";
import { ManualClock, waitFor } from "@roomkit/testing";
import { WebSocketServer } from "ws";
import { createBunWebSocketAdapter } from "./adapters/bun-adapter.ts";
import { attachWsServer, type WsLikeServer, type WsServerDetach } from "./adapters/ws-adapter.ts";
import type { WebSocketConnection } from "./websocket-connection.ts";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

interface Limited {
  url: string;
  rateLimiter: RateLimiter | undefined;
  connections: WebSocketConnection[];
}

async function startServer(kind: "bun" | "ws", clock: ManualClock): Promise<Limited> {
  const connections: WebSocketConnection[] = [];
  const onConnection = (connection: WebSocketConnection) => {
    connections.push(connection);
  };
  const rateLimit = { perSecond: 1, burst: 3 };
  if (kind === "bun") {
    const adapter = createBunWebSocketAdapter({ onConnection, rateLimit, clock });
    const server = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      fetch: (request, bunServer) => adapter.handleUpgrade(request, bunServer),
      websocket: adapter.websocket,
    });
    cleanups.push(() => server.stop(true));
    return { url: `ws://127.0.0.1:${server.port}/ws`, rateLimiter: adapter.rateLimiter, connections };
  }
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0, maxPayload: 1024 * 1024 });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const detach: WsServerDetach = attachWsServer(server as unknown as WsLikeServer, { onConnection, rateLimit, clock });
  cleanups.push(async () => {
    detach();
    for (const client of server.clients) client.terminate();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return { url: `ws://127.0.0.1:${port}/ws`, rateLimiter: detach.rateLimiter, connections };
}

/** Opens a socket and reports how it ended up: open, or closed with a code (1006 when the upgrade was refused). */
async function attempt(url: string): Promise<{ opened: boolean; closeCode: number; socket: WebSocket }> {
  const socket = new WebSocket(url);
  cleanups.push(() => socket.close());
  let opened = false;
  let closeCode = 0;
  socket.addEventListener("open", () => {
    opened = true;
  });
  socket.addEventListener("close", (event) => {
    closeCode = event.code;
  });
  socket.addEventListener("error", () => {});
  await waitFor(() => closeCode !== 0 || opened, { label: "attempt settled", timeoutMs: 10_000 });
  return { opened, closeCode, socket };
}

describe.each(["bun", "ws"] as const)("%s adapter upgrade rate limit", (kind) => {
  test("burst 3 at 1/s: 3 upgrades accepted, the 4th refused before a connection exists, one more after 1 s", async () => {
    const clock = new ManualClock(0);
    const server = await startServer(kind, clock);
    for (let index = 0; index < 3; index++) expect((await attempt(server.url)).opened).toBe(true);
    await waitFor(() => server.connections.length === 3, { label: "3 connections", timeoutMs: 10_000 });

    const refused = await attempt(server.url);
    // Bun answers 429 (no upgrade at all); `ws` upgrades before its `connection` event, so the adapter closes at once
    // with 1013 (try again later).
    if (kind === "bun") expect(refused.opened).toBe(false);
    await waitFor(() => refused.socket.readyState === WebSocket.CLOSED, { label: "refused closed", timeoutMs: 10_000 });
    if (kind === "ws") expect(refused.closeCode).toBe(1013);
    expect(server.connections.length).toBe(3);
    expect(server.rateLimiter?.stats).toMatchObject({ allowed: 3, refused: 1 });

    clock.advance(999);
    await attempt(server.url);
    expect(server.connections.length).toBe(3);
    clock.advance(1);
    expect((await attempt(server.url)).opened).toBe(true);
    await waitFor(() => server.connections.length === 4, { label: "4th connection", timeoutMs: 10_000 });
    expect(server.rateLimiter?.stats).toMatchObject({ allowed: 4, refused: 2 });
  });

  test("rateLimit: false turns it off; a bad rateLimit names the field", async () => {
    if (kind === "bun") {
      expect(createBunWebSocketAdapter({ rateLimit: false }).rateLimiter).toBeUndefined();
      expect(createBunWebSocketAdapter().rateLimiter?.burst).toBe(50);
      expect(() => createBunWebSocketAdapter({ rateLimit: { perSecond: 0, burst: 1 } })).toThrow(RoomKitConfigError);
    } else {
      const fakeServer = { on: () => undefined } as unknown as WsLikeServer;
      expect(attachWsServer(fakeServer, { onConnection: () => {}, rateLimit: false }).rateLimiter).toBeUndefined();
      expect(() =>
        attachWsServer(fakeServer, { onConnection: () => {}, rateLimit: { perSecond: 1, burst: 0 } }),
      ).toThrow(/rateLimit/);
    }
  });
});

test("the Bun adapter answers 429 with Retry-After to a plain HTTP client over the limit", async () => {
  const clock = new ManualClock(0);
  const adapter = createBunWebSocketAdapter({ rateLimit: { perSecond: 0.5, burst: 1 }, clock });
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch: (request, bunServer) => adapter.handleUpgrade(request, bunServer),
    websocket: adapter.websocket,
  });
  cleanups.push(() => server.stop(true));
  const first = await fetch(`http://127.0.0.1:${server.port}/ws`);
  expect(first.status).toBe(400); // not an upgrade request, but it spent the token
  const second = await fetch(`http://127.0.0.1:${server.port}/ws`);
  expect(second.status).toBe(429);
  expect(second.headers.get("retry-after")).toBe("2");
});
