// Issue 19 (security): new INVITEs are rate limited per source address before the 100 and any digest work — over real
// UDP on 127.0.0.1 with a manual clock: `burst` INVITEs reach the digest challenge, the next gets 503 + Retry-After,
// another is allowed after the refill; nothing (call, pending INVITE, RTP port) is left for the refused one.
import { afterEach, expect, test } from "bun:test";
import { RoomKitConfigError, silentLogger } from "@roomkit/spec";
import { ManualClock, waitFor } from "@roomkit/testing";
import { SipTestClient } from "../loopback/sip-test-client.ts";
import { headerValue } from "../sip/sip-message.ts";
import { SipVoiceBackend } from "./sip-voice-backend.ts";

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function backendWith(clock: ManualClock) {
  const backend = new SipVoiceBackend({
    host: "127.0.0.1",
    port: 0,
    rtpPortStart: 40000,
    rtpPortEnd: 40010,
    authUsers: { alice: "not-a-real-secret" },
    rateLimit: { perSecond: 1, burst: 2 },
    clock,
    logger: silentLogger,
  });
  await backend.start();
  cleanups.push(() => backend.close());
  return backend;
}

async function client(): Promise<SipTestClient> {
  const sip = await SipTestClient.create();
  cleanups.push(() => sip.close());
  return sip;
}

/** Sends a fresh INVITE (its own Call-ID) and waits for its final response. */
async function inviteOnce(backend: SipVoiceBackend) {
  const sip = await client();
  sip.invite(backend.localPort);
  await sip.until(() => sip.responses().some((response) => response.status >= 200), 5000, "a final response");
  const final = sip.responses().find((response) => response.status >= 200)!;
  return { final, sawTrying: sip.responses(100).length > 0 };
}

test("burst 2 at 1/s: 2 INVITEs get the digest challenge, the 3rd 503 + Retry-After before any work, refill allows one", async () => {
  const clock = new ManualClock(0);
  const backend = await backendWith(clock);
  for (let index = 0; index < 2; index++) {
    const { final, sawTrying } = await inviteOnce(backend);
    expect(final.status).toBe(401);
    expect(sawTrying).toBe(true);
  }
  const refused = await inviteOnce(backend);
  expect(refused.final.status).toBe(503);
  expect(headerValue(refused.final, "Retry-After")).toBe("1");
  expect(refused.sawTrying).toBe(false);
  expect(backend.stats.invitesRateLimited).toBe(1);
  expect(backend.stats.rejected[401]).toBe(2);
  expect(backend.stats.rejected[503]).toBe(1);
  expect(backend.activeCalls.length).toBe(0);

  clock.advance(1000);
  expect((await inviteOnce(backend)).final.status).toBe(401);
  expect((await inviteOnce(backend)).final.status).toBe(503);
  expect(backend.stats.invitesRateLimited).toBe(2);
  expect(backend.inviteRateLimiter?.stats).toMatchObject({ allowed: 3, refused: 2, trackedKeys: 1 });
});

test("a retransmitted refused INVITE is absorbed by its transaction and spends no token", async () => {
  const clock = new ManualClock(0);
  const backend = await backendWith(clock);
  await inviteOnce(backend);
  await inviteOnce(backend);
  const sip = await client();
  const invite = sip.invite(backend.localPort);
  await sip.until(() => sip.responses(503).length === 1, 5000, "503");
  sip.send(invite);
  await waitFor(() => backend.stats.retransmissionsAbsorbed >= 1, { label: "retransmission absorbed" });
  expect(backend.stats.invitesRateLimited).toBe(1);
  expect(backend.inviteRateLimiter?.stats.refused).toBe(1);
});

test("rateLimit: false turns it off, the default is a burst of 50, bad limits name the field", () => {
  expect(new SipVoiceBackend({ rateLimit: false, logger: silentLogger }).inviteRateLimiter).toBeUndefined();
  expect(new SipVoiceBackend({ logger: silentLogger }).inviteRateLimiter?.burst).toBe(50);
  expect(() => new SipVoiceBackend({ rateLimit: { perSecond: 0, burst: 1 } })).toThrow(RoomKitConfigError);
  expect(() => new SipVoiceBackend({ rateLimit: { perSecond: 1, burst: 0 } })).toThrow(/rateLimit/);
});
