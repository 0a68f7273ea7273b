import { afterEach, describe, expect, test } from "bun:test";
import { createSocket, type Socket } from "node:dgram";
import { silentLogger } from "@roomkit/spec";
import { ManualClock, waitFor } from "@roomkit/testing";
import { DigestServer } from "../sip/digest.ts";
import { SipTimeoutError } from "../sip/sip-errors.ts";
import { headerValue, parseSipMessage, type SipRequest, serializeSipMessage } from "../sip/sip-message.ts";
import { SipVoiceBackend } from "./sip-voice-backend.ts";

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

type Answer = { status: number; reason: string; headers?: Array<[string, string]> };
type Script = (request: SipRequest, index: number) => Answer | Promise<Answer>;

/** A registrar on 127.0.0.1 that answers each REGISTER with `script(request, index)`. */
async function registrar(script: Script) {
  const socket: Socket = createSocket("udp4");
  await new Promise<void>((resolve) => socket.bind({ address: "127.0.0.1", port: 0 }, () => resolve()));
  const requests: SipRequest[] = [];
  socket.on("message", async (data, info) => {
    const request = parseSipMessage(data) as SipRequest;
    requests.push(request);
    const answer = await script(request, requests.length - 1);
    const response = serializeSipMessage({
      kind: "response",
      status: answer.status,
      reason: answer.reason,
      headers: [
        ...request.headers.filter((h) => ["Via", "From", "To", "Call-ID", "CSeq"].includes(h.name)),
        ...(answer.headers ?? []).map(([name, value]) => ({ name, value })),
      ],
      body: new Uint8Array(0),
    });
    socket.send(response, info.port, info.address);
  });
  cleanups.push(() => socket.close());
  return { port: socket.address().port, requests };
}

async function backend(clock = new ManualClock()) {
  const instance = new SipVoiceBackend({
    host: "127.0.0.1",
    port: 0,
    rtpPortStart: 48000,
    rtpPortEnd: 48010,
    clock,
    logger: silentLogger,
  });
  await instance.start();
  cleanups.push(() => instance.close());
  return { instance, clock };
}

describe("REGISTER", () => {
  test("401 ⇒ one digest retry (verified); granted Expires kept; refreshed at 90 %; close() unregisters with Expires: 0", async () => {
    const clock = new ManualClock();
    const digest = new DigestServer({
      realm: "pbx",
      clock,
      resolvePassword: (user) => (user === "bot" ? "pw" : undefined),
    });
    const server = await registrar(async (request) => {
      const authorization = headerValue(request, "Authorization");
      if (!authorization)
        return { status: 401, reason: "Unauthorized", headers: [["WWW-Authenticate", digest.challenge()[0]!]] };
      const verdict = await digest.verify("REGISTER", authorization);
      return verdict.ok
        ? { status: 200, reason: "OK", headers: [["Expires", "120"]] }
        : { status: 403, reason: "Forbidden" };
    });
    const { instance } = await backend(clock);
    const registration = await instance.register({
      registrar: { address: "127.0.0.1", port: server.port },
      username: "bot",
      password: "pw",
      domain: "pbx.test",
    });
    expect(registration.registered).toBe(true);
    expect(registration.aor).toBe("sip:bot@pbx.test");
    expect(registration.grantedExpiresSec).toBe(120);
    expect(server.requests.length).toBe(2);
    expect(server.requests[0]!.uri).toBe("sip:pbx.test");
    expect(headerValue(server.requests[1]!, "Authorization")).toContain('username="bot"');
    expect(headerValue(server.requests[1]!, "CSeq")).toBe("2 REGISTER");
    expect(headerValue(server.requests[0]!, "Contact")).toMatch(/^<sip:bot@127\.0\.0\.1:\d+>$/);
    clock.advance(107_999);
    expect(server.requests.length).toBe(2);
    clock.advance(1);
    await waitFor(() => server.requests.length === 4); // refresh: challenged again, answered again
    expect(headerValue(server.requests[3]!, "Call-ID")).toBe(headerValue(server.requests[0]!, "Call-ID"));
    await instance.close();
    expect(server.requests.length).toBe(6);
    expect(headerValue(server.requests[5]!, "Expires")).toBe("0");
    expect(registration.registered).toBe(false);
  });

  test("423 Interval Too Brief ⇒ retried at Min-Expires", async () => {
    const server = await registrar((request) =>
      Number(headerValue(request, "Expires")) < 600
        ? { status: 423, reason: "Interval Too Brief", headers: [["Min-Expires", "600"]] }
        : { status: 200, reason: "OK" },
    );
    const { instance } = await backend();
    const registration = await instance.register({
      registrar: { address: "127.0.0.1", port: server.port },
      username: "bot",
      expiresSec: 60,
    });
    expect(server.requests.map((r) => headerValue(r, "Expires"))).toEqual(["60", "600"]);
    expect(registration.grantedExpiresSec).toBe(600);
  });

  test("403 ⇒ REGISTER failed: 403; before start() ⇒ an error; a lost refresh retries every 30 s", async () => {
    const denied = await registrar(() => ({ status: 403, reason: "Forbidden" }));
    const { instance } = await backend();
    await expect(
      instance.register({ registrar: { address: "127.0.0.1", port: denied.port }, username: "bot" }),
    ).rejects.toThrow("REGISTER failed: 403 Forbidden");
    expect(instance.registration).toBeUndefined();
    await expect(
      new SipVoiceBackend({ logger: silentLogger }).register({ registrar: { address: "127.0.0.1" }, username: "x" }),
    ).rejects.toThrow("start() must be called");

    let refuse = false;
    const flaky = await registrar(() =>
      refuse ? { status: 500, reason: "Oops" } : { status: 200, reason: "OK", headers: [["Expires", "100"]] },
    );
    const clock = new ManualClock();
    const second = await backend(clock);
    const registration = await second.instance.register({
      registrar: { address: "127.0.0.1", port: flaky.port },
      username: "bot",
    });
    refuse = true;
    clock.advance(90_000);
    await waitFor(() => flaky.requests.length === 2 && !registration.registered);
    refuse = false;
    clock.advance(30_000);
    await waitFor(() => flaky.requests.length === 3 && registration.registered);
  });

  test("no answer from the registrar ⇒ SipTimeoutError after Timer F; a second register() replaces the first", async () => {
    const silent = createSocket("udp4");
    await new Promise<void>((resolve) => silent.bind({ address: "127.0.0.1", port: 0 }, () => resolve()));
    cleanups.push(() => silent.close());
    const { instance, clock } = await backend();
    const pending = instance.register({
      registrar: { address: "127.0.0.1", port: silent.address().port },
      username: "bot",
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    clock.advance(32_000);
    await expect(pending).rejects.toBeInstanceOf(SipTimeoutError);

    const first = await registrar(() => ({ status: 200, reason: "OK" }));
    const second = await registrar(() => ({ status: 200, reason: "OK" }));
    const one = await instance.register({ registrar: { address: "127.0.0.1", port: first.port }, username: "a" });
    const two = await instance.register({ registrar: { address: "127.0.0.1", port: second.port }, username: "b" });
    expect(one.registered).toBe(false);
    expect(headerValue(first.requests.at(-1)!, "Expires")).toBe("0"); // the first binding was removed
    expect(instance.registration).toBe(two);
    expect(two.registered).toBe(true);
    await instance.close();
    expect(headerValue(second.requests.at(-1)!, "Expires")).toBe("0");
  });
});
