// Issue 19 (security): signalling posts are rate limited per remote address before the body is read and before
// `auth` runs — with a manual clock (burst allowed, the next refused with 429, refill), and over real sockets (Bun.serve
// and node:http through toNodeListener), where no peer connection is ever created for a refused post.
import { afterEach, expect, test } from "bun:test";
import { createServer } from "node:http";
import { createRecordingLogger, RoomKitConfigError } from "@roomkit/spec";
import { ManualClock } from "@roomkit/testing";
import { toNodeListener } from "../adapters/node-listener.ts";
import { FastRTCRealtimeTransport } from "../fastrtc-realtime-transport.ts";
import { LOOPBACK_ICE } from "../test-support/werift-client.ts";
import { createFastRTCOfferHandler, type FastRTCOfferHandlerOptions, remoteAddressOf } from "./offer-handler.ts";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

function setup(options: FastRTCOfferHandlerOptions) {
  const transport = new FastRTCRealtimeTransport({ ...LOOPBACK_ICE, logger: createRecordingLogger() });
  cleanups.push(() => transport.close());
  let authCalls = 0;
  const handler = createFastRTCOfferHandler(transport, {
    path: "/rtc",
    auth: () => {
      authCalls++;
      return null;
    },
    ...options,
  });
  return { transport, handler, authCalls: () => authCalls };
}

const BODY = JSON.stringify({ sdp: "v=0\r\n", type: "offer", webrtc_id: "abc" });
const post = (base = "http://127.0.0.1") =>
  new Request(`${base}/rtc/webrtc/offer`, {
    method: "POST",
    body: BODY,
    headers: { "content-type": "application/json" },
  });

test("burst 3 at 1/s per address: 3 posts reach auth, the 4th is 429 before auth, another address is separate, refill", async () => {
  const clock = new ManualClock(0);
  const { handler, authCalls } = setup({ rateLimit: { perSecond: 1, burst: 3 }, clock });
  const from = (remoteAddress: string) => handler(post(), { remoteAddress });
  for (let index = 0; index < 3; index++) expect((await from("192.0.2.1")).status).toBe(403);
  const refused = await from("192.0.2.1");
  expect(refused.status).toBe(429);
  expect(refused.headers.get("retry-after")).toBe("1");
  expect(refused.headers.get("content-type")).toBe("application/json");
  expect(await refused.json()).toEqual({ status: "failed", meta: { error: "rate_limited", retry_after_ms: 1000 } });
  expect(authCalls()).toBe(3);
  expect((await from("192.0.2.2")).status).toBe(403);
  clock.advance(1000);
  expect((await from("192.0.2.1")).status).toBe(403);
  expect((await from("192.0.2.1")).status).toBe(429);
  expect(authCalls()).toBe(5);
  expect(handler.rateLimiter?.stats).toMatchObject({ allowed: 5, refused: 2, trackedKeys: 2 });
});

test("over real sockets (Bun.serve and node:http): refused posts get 429 and no peer connection is created", async () => {
  for (const kind of ["bun", "node"] as const) {
    const clock = new ManualClock(0);
    const { transport, handler, authCalls } = setup({ rateLimit: { perSecond: 1, burst: 2 }, clock, auth: undefined });
    let base: string;
    if (kind === "bun") {
      const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: handler });
      cleanups.push(() => server.stop(true));
      base = `http://127.0.0.1:${server.port}`;
    } else {
      const server = createServer(toNodeListener(handler));
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
      cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
      const address = server.address();
      base = `http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}`;
    }
    const statuses: number[] = [];
    for (let index = 0; index < 5; index++) statuses.push((await fetch(post(base))).status);
    // Allowed posts carry an SDP without an audio m-line (400): the limit is what turns the rest away.
    expect(statuses).toEqual([400, 400, 429, 429, 429]);
    expect(authCalls()).toBe(0);
    expect(transport.stats.peersOpened).toBe(0);
    expect(handler.rateLimiter?.stats).toMatchObject({ allowed: 2, refused: 3, trackedKeys: 1 });
  }
});

test("the address comes from the framework's context; rateLimit: false turns it off; bad limits name the field", async () => {
  const request = post();
  expect(remoteAddressOf(request, { remoteAddress: "192.0.2.9" })).toBe("192.0.2.9");
  expect(remoteAddressOf(request, { requestIP: () => ({ address: "192.0.2.8" }) })).toBe("192.0.2.8");
  expect(remoteAddressOf(request, { socket: { remoteAddress: "192.0.2.7" } })).toBe("192.0.2.7");
  expect(remoteAddressOf(request, { incoming: { socket: { remoteAddress: "192.0.2.6" } } })).toBe("192.0.2.6");
  expect(remoteAddressOf(request, undefined)).toBeUndefined();
  const off = setup({ rateLimit: false });
  expect(off.handler.rateLimiter).toBeUndefined();
  for (let index = 0; index < 200; index++) expect((await off.handler(post())).status).toBe(403);
  expect(setup({}).handler.rateLimiter?.burst).toBe(100);
  const transport = new FastRTCRealtimeTransport({ ...LOOPBACK_ICE, logger: createRecordingLogger() });
  cleanups.push(() => transport.close());
  expect(() => createFastRTCOfferHandler(transport, { rateLimit: { perSecond: -1, burst: 1 } })).toThrow(
    RoomKitConfigError,
  );
  expect(() => createFastRTCOfferHandler(transport, { rateLimit: { perSecond: 1, burst: 0 } })).toThrow(/rateLimit/);
});
