// Our UAC against our own UAS over real UDP: dial() ⇄ INVITE pipeline, G.722 both ways, hang-up either side.
import { afterEach, describe, expect, test } from "bun:test";
import { silentLogger } from "@roomkit/spec";
import { waitFor } from "@roomkit/testing";
import { SdpNegotiationError } from "../sip/sip-errors.ts";
import type { SipCall } from "./sip-call.ts";
import { SipVoiceBackend } from "./sip-voice-backend.ts";

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

let rtpBase = 49000 + (process.pid % 50) * 40;

async function backend(options: ConstructorParameters<typeof SipVoiceBackend>[0] = {}) {
  const start = rtpBase;
  rtpBase += 20;
  const instance = new SipVoiceBackend({
    host: "127.0.0.1",
    port: 0,
    rtpPortStart: start,
    rtpPortEnd: start + 20,
    logger: silentLogger,
    ...options,
  });
  await instance.start();
  cleanups.push(() => instance.close());
  return instance;
}

const tone = (samples: number) =>
  new Uint8Array(new Int16Array(samples).map((_, index) => Math.round(6000 * Math.sin(index / 4))).buffer);

describe("dial() ⇄ our own UAS", () => {
  test("a G.722 call both ways with extra headers and digest; the callee's BYE ends the caller's call", async () => {
    const callee = await backend({ authUsers: { bot: "pw" }, authAlgorithms: ["SHA-256", "MD5"] });
    const caller = await backend();
    const answered: SipCall[] = [];
    callee.onCall((call) => void answered.push(call));
    const outbound = await caller.dial({
      to: `sip:agent@127.0.0.1:${callee.localPort}`,
      codecs: [9, 0],
      headers: { "X-Room-ID": "room-dialed" },
      auth: { username: "bot", password: "pw" },
    });
    await waitFor(() => answered.length === 1 && answered[0]!.state === "confirmed");
    const inbound = answered[0]!;
    expect(outbound.info.direction).toBe("outbound");
    expect(outbound.sampleRate).toBe(16000);
    expect(inbound.sampleRate).toBe(16000);
    expect(inbound.info.roomId).toBe("room-dialed");
    expect(inbound.info.authenticatedUser).toBe("bot");
    expect(callee.stats.rejected[401]).toBe(1);

    let heardByCallee = 0;
    let heardByCaller = 0;
    inbound.onAudio((pcm) => {
      heardByCallee += pcm.byteLength;
    });
    outbound.onAudio((pcm) => {
      heardByCaller += pcm.byteLength;
    });
    outbound.sendAudio(tone(16000 / 5));
    outbound.endOfResponse();
    inbound.sendAudio(tone(16000 / 5));
    inbound.endOfResponse();
    await waitFor(() => heardByCallee >= 6400 && heardByCaller >= 6400);

    const ended: SipCall[] = [];
    caller.onCallEnded((call) => void ended.push(call));
    await inbound.hangup({ cause: 16, text: "done" });
    await waitFor(() => ended.length === 1);
    expect(outbound.endReason).toBe("remote_bye");
    expect(outbound.byeReason).toEqual({ cause: 16, text: "done" });
    expect(caller.rtpPortsInUse).toBe(0);
    expect(callee.rtpPortsInUse).toBe(0);
  });

  test("the caller hangs up (PCMA call): the callee sees the BYE", async () => {
    const callee = await backend();
    const caller = await backend();
    const answered: SipCall[] = [];
    callee.onCall((call) => void answered.push(call));
    const outbound = await caller.dial({ to: `sip:agent@127.0.0.1:${callee.localPort}`, codecs: [8] });
    await waitFor(() => answered.length === 1 && answered[0]!.state === "confirmed");
    expect(outbound.media.codec.name).toBe("PCMA");
    await outbound.hangup();
    await waitFor(() => answered[0]!.state === "ended");
    expect(answered[0]!.endReason).toBe("remote_bye");
  });

  test("an unsupported codec is refused before any port is taken; a callee sharing no codec ⇒ 488", async () => {
    const callee = await backend({ supportedCodecs: [8] });
    const caller = await backend();
    await expect(caller.dial({ to: `sip:a@127.0.0.1:${callee.localPort}`, codecs: [99] })).rejects.toBeInstanceOf(
      SdpNegotiationError,
    );
    expect(caller.rtpPortsInUse).toBe(0);
    await expect(caller.dial({ to: `sip:a@127.0.0.1:${callee.localPort}`, codecs: [0] })).rejects.toThrow("488");
    expect(caller.rtpPortsInUse).toBe(0);
  });
});
