// A SIP call through SIPRealtimeTransport into a RealtimeVoiceChannel with the mock provider, over real UDP.
import { afterEach, describe, expect, test } from "bun:test";
import { MemoryConversationStore, RoomKit } from "@roomkit/core";
import { RealtimeVoiceChannel } from "@roomkit/realtime-channel";
import { silentLogger, type VoiceSession } from "@roomkit/spec";
import { MockRealtimeProvider, waitFor } from "@roomkit/testing";
import { SipVoiceBackend } from "./backend/sip-voice-backend.ts";
import { SIPRealtimeTransport } from "./sip-realtime-transport.ts";
import { SipTestClient } from "./loopback/sip-test-client.ts";

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

let rtpBase = 41000 + (process.pid % 100) * 20;

async function setup(preWarm: boolean) {
  const start = rtpBase;
  rtpBase += 20;
  const backend = new SipVoiceBackend({
    host: "127.0.0.1",
    port: 0,
    rtpPortStart: start,
    rtpPortEnd: start + 20,
    preWarm,
    logger: silentLogger,
  });
  await backend.start();
  const kit = new RoomKit({ store: new MemoryConversationStore(), logger: silentLogger });
  const provider = new MockRealtimeProvider({ logger: silentLogger });
  const transport = new SIPRealtimeTransport({ backend, logger: silentLogger });
  const channel = new RealtimeVoiceChannel("voice", {
    provider,
    transport,
    inputSampleRate: 16000,
    outputSampleRate: 24000,
    logger: silentLogger,
  });
  kit.registerChannel(channel);
  await kit.createRoom({ roomId: "room-sip" });
  await kit.attachChannel("room-sip", "voice");
  const sessions: VoiceSession[] = [];
  backend.onCall(async (call) => {
    sessions.push(await channel.startSession(call.info.roomId, call.info.participantId, { connection: call }));
  });
  const client = await SipTestClient.create();
  cleanups.push(async () => {
    await kit.close();
    await transport.close();
    await backend.close();
    client.close();
  });
  return { backend, provider, transport, channel, client, sessions };
}

const tone = (samples: number, amplitude = 6000) => {
  const pcm = new Int16Array(samples);
  for (let index = 0; index < samples; index++) pcm[index] = Math.round(amplitude * Math.sin(index / 4));
  return new Uint8Array(pcm.buffer);
};

describe("SIP call ⇒ SIPRealtimeTransport ⇒ RealtimeVoiceChannel (mock provider)", () => {
  test("pre-warm: the provider connects before the 200 OK; audio both ways at the G.722 rate; BYE ends the session", async () => {
    const { backend, provider, client, sessions } = await setup(true);
    let okBeforeConnect = -1;
    provider.beforeConnect = () => {
      okBeforeConnect = client.responses(200).length;
    };
    await client.call(backend.localPort, "9 0 101", [["X-Room-ID", "room-sip"]]);
    await waitFor(() => sessions.length === 1);
    expect(okBeforeConnect).toBe(0); // connect ran while the call was still ringing
    const session = sessions[0]!;
    expect(session.metadata.transport_sample_rate).toBe(16000);
    expect((session.metadata.sip as { codec: string }).codec).toBe("G722");

    client.sendAudio(tone(320 * 10));
    await waitFor(() => provider.callsOf("sendAudio").length > 0);
    await provider.simulateResponseStart(session);
    await provider.simulateAudio(session, tone(24000 / 5)); // 200 ms at 24 kHz
    await provider.simulateResponseEnd(session);
    await client.until(() => client.rtpPackets.filter((p) => p.payloadType === 9).length >= 9, 5000, "assistant RTP");
    const rms = Math.sqrt(
      client.receivedPcm.flatMap((pcm) => [...new Int16Array(pcm.slice().buffer)]).reduce((sum, s) => sum + s * s, 0) /
        (client.receivedPcmBytes / 2),
    );
    expect(rms).toBeGreaterThan(1000); // the tone, not silence, after resampling and G.722 both ways

    await client.bye();
    await waitFor(() => provider.callsOf("disconnect").length === 1);
    expect(backend.activeCalls).toEqual([]);
  });

  test("barge-in truncates the provider at what the pacer sent and stops the RTP", async () => {
    const { backend, provider, client, sessions } = await setup(false);
    await client.call(backend.localPort, "0 101", [["X-Room-ID", "room-sip"]]);
    await waitFor(() => sessions.length === 1);
    const session = sessions[0]!;
    await provider.simulateResponseStart(session);
    await provider.simulateAudio(session, tone(24000 * 3)); // 3 s
    await client.until(() => client.rtpPackets.length >= 12, 5000, "some assistant RTP");
    await provider.simulateSpeechStart(session);
    await waitFor(() => provider.callsOf("truncateAudio").length > 0);
    const [, playedMs] = provider.callsOf("truncateAudio")[0]!.args as [unknown, number];
    const heardMs = client.rtpPackets.length * 20;
    expect(playedMs).toBeGreaterThan(0);
    expect(playedMs).toBeLessThanOrEqual(heardMs + 100);
    const countAfter = client.rtpPackets.length;
    await new Promise((resolve) => setTimeout(resolve, 200));
    // After the interrupt at most a frame or two in flight; never the rest of the 3 s.
    expect(client.rtpPackets.length - countAfter).toBeLessThan(5);
  });

  test("a DTMF digit from the caller reaches the channel's transport callbacks", async () => {
    const { backend, client, sessions, transport } = await setup(false);
    const digits: string[] = [];
    transport.onDtmf((_session, digit) => void digits.push(digit.digit));
    await client.call(backend.localPort, "0 101", [["X-Room-ID", "room-sip"]]);
    await waitFor(() => sessions.length === 1);
    client.sendDtmf("3");
    await waitFor(() => digits.length === 1);
    expect(digits).toEqual(["3"]);
  });
});
