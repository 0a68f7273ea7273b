// Real peer for dial(): sipp as the callee (Debian sip-tester, installed by scripts/setup-test-env.sh) on 127.0.0.1.
import { afterEach, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { silentLogger } from "@roomkit/spec";
import { waitFor } from "@roomkit/testing";
import type { SipCall } from "./backend/sip-call.ts";
import { SipVoiceBackend } from "./backend/sip-voice-backend.ts";
import { SipCallRejectedError, SipTimeoutError } from "./sip/sip-errors.ts";

const SCENARIOS = join(import.meta.dir, "test-support/sipp");
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

let portBase = 26000 + (process.pid % 300) * 40;
const nextPorts = () => {
  const base = portBase;
  portBase += 20;
  return { sipp: base, media: base + 4, rtpStart: base + 10, rtpEnd: base + 20 };
};

function startSipp(args: string[]) {
  const sipp = Bun.which("sipp");
  if (!sipp)
    throw new Error("sipp is not installed: run packages/transport-sip/scripts/setup-test-env.sh (Debian sip-tester)");
  const child = Bun.spawn([sipp, ...args, "-m", "1", "-nostdin", "-timeout", "20s", "-timeout_error"], {
    stdout: "pipe",
    stderr: "pipe",
  });
  const timer = setTimeout(() => child.kill(), 25_000);
  cleanups.push(() => {
    clearTimeout(timer);
    child.kill();
  });
  return {
    async done() {
      const [code, out, err] = await Promise.all([
        child.exited,
        new Response(child.stdout).text(),
        new Response(child.stderr).text(),
      ]);
      return { code, output: out + err };
    },
  };
}

async function backendFor(ports: ReturnType<typeof nextPorts>) {
  const backend = new SipVoiceBackend({
    host: "127.0.0.1",
    port: 0,
    rtpPortStart: ports.rtpStart,
    rtpPortEnd: ports.rtpEnd,
    logger: silentLogger,
  });
  await backend.start();
  cleanups.push(() => backend.close());
  return backend;
}

const listening = () => new Promise((resolve) => setTimeout(resolve, 300)); // sipp binds its socket at start-up

describe("dial() against sipp as the callee", () => {
  test("sipp -sn uas -rtp_echo answers: PCMU audio goes out paced and comes back; our BYE ends both sides", async () => {
    const ports = nextPorts();
    const backend = await backendFor(ports);
    const sipp = startSipp([
      "-sn",
      "uas",
      "-i",
      "127.0.0.1",
      "-p",
      String(ports.sipp),
      "-mi",
      "127.0.0.1",
      "-mp",
      String(ports.media),
      "-rtp_echo",
    ]);
    await listening();
    const ended: SipCall[] = [];
    backend.onCallEnded((call) => void ended.push(call));
    const call = await backend.dial({
      to: `sip:service@127.0.0.1:${ports.sipp}`,
      codecs: [0],
      headers: { "X-Room-ID": "dialed" },
    });
    expect(call.state).toBe("confirmed");
    expect(call.info.direction).toBe("outbound");
    expect(call.media.codec.name).toBe("PCMU");
    let echoed = 0;
    call.onAudio((pcm) => {
      echoed += pcm.byteLength;
    });
    const tone = new Int16Array(8000 / 2).map((_, index) => Math.round(6000 * Math.sin(index / 3)));
    call.sendAudio(new Uint8Array(tone.buffer));
    call.endOfResponse();
    await waitFor(() => echoed >= 7000, { timeoutMs: 5000 });
    await call.hangup({ cause: 16 });
    const result = await sipp.done();
    expect(result.code, result.output).toBe(0);
    expect(ended).toEqual([call]);
    expect(backend.rtpPortsInUse).toBe(0);
  }, 30_000);

  test("a 486 ⇒ SipCallRejectedError with the status; the 486 is ACKed (sipp succeeds); no port kept", async () => {
    const ports = nextPorts();
    const backend = await backendFor(ports);
    const sipp = startSipp([
      "-sf",
      join(SCENARIOS, "uas-busy.xml"),
      "-i",
      "127.0.0.1",
      "-p",
      String(ports.sipp),
      "-mi",
      "127.0.0.1",
      "-mp",
      String(ports.media),
    ]);
    await listening();
    const error = await backend.dial({ to: `sip:service@127.0.0.1:${ports.sipp}` }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SipCallRejectedError);
    expect((error as SipCallRejectedError).status).toBe(486);
    const result = await sipp.done();
    expect(result.code, result.output).toBe(0);
    expect(backend.rtpPortsInUse).toBe(0);
  }, 30_000);

  test("no answer within timeoutMs while ringing ⇒ CANCEL, 487 ACKed, SipTimeoutError", async () => {
    const ports = nextPorts();
    const backend = await backendFor(ports);
    const sipp = startSipp([
      "-sf",
      join(SCENARIOS, "uas-ring.xml"),
      "-i",
      "127.0.0.1",
      "-p",
      String(ports.sipp),
      "-mi",
      "127.0.0.1",
      "-mp",
      String(ports.media),
    ]);
    await listening();
    const error = await backend
      .dial({ to: `sip:service@127.0.0.1:${ports.sipp}`, timeoutMs: 600 })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SipTimeoutError);
    const result = await sipp.done();
    expect(result.code, result.output).toBe(0);
    expect(backend.rtpPortsInUse).toBe(0);
  }, 30_000);

  test("an abort while ringing cancels the same way and rejects with the abort reason", async () => {
    const ports = nextPorts();
    const backend = await backendFor(ports);
    const sipp = startSipp([
      "-sf",
      join(SCENARIOS, "uas-ring.xml"),
      "-i",
      "127.0.0.1",
      "-p",
      String(ports.sipp),
      "-mi",
      "127.0.0.1",
      "-mp",
      String(ports.media),
    ]);
    await listening();
    const controller = new AbortController();
    const dialing = backend.dial({ to: `sip:service@127.0.0.1:${ports.sipp}`, signal: controller.signal });
    setTimeout(() => controller.abort(new Error("caller hung up")), 400);
    await expect(dialing).rejects.toThrow("caller hung up");
    const result = await sipp.done();
    expect(result.code, result.output).toBe(0);
  }, 30_000);

  test("a 401 challenge is answered once with digest credentials (sipp verifies them) and the call connects", async () => {
    const ports = nextPorts();
    const backend = await backendFor(ports);
    const sipp = startSipp([
      "-sf",
      join(SCENARIOS, "uas-auth.xml"),
      "-i",
      "127.0.0.1",
      "-p",
      String(ports.sipp),
      "-mi",
      "127.0.0.1",
      "-mp",
      String(ports.media),
    ]);
    await listening();
    const call = await backend.dial({
      to: `sip:alice@127.0.0.1:${ports.sipp}`,
      auth: { username: "alice", password: "secret" },
    });
    expect(call.state).toBe("confirmed");
    expect(call.media.codec.name).toBe("PCMU");
    await call.hangup();
    const result = await sipp.done();
    expect(result.code, result.output).toBe(0);
  }, 30_000);

  test("wrong digest credentials: the retried INVITE gets 403 ⇒ SipCallRejectedError(403)", async () => {
    const ports = nextPorts();
    const backend = await backendFor(ports);
    const sipp = startSipp([
      "-sf",
      join(SCENARIOS, "uas-auth.xml"),
      "-i",
      "127.0.0.1",
      "-p",
      String(ports.sipp),
      "-mi",
      "127.0.0.1",
      "-mp",
      String(ports.media),
    ]);
    await listening();
    const error = await backend
      .dial({ to: `sip:alice@127.0.0.1:${ports.sipp}`, auth: { username: "alice", password: "WRONG" } })
      .catch((caught: unknown) => caught);
    expect((error as SipCallRejectedError).status).toBe(403);
    await sipp.done();
    expect(backend.rtpPortsInUse).toBe(0);
  }, 30_000);
});
