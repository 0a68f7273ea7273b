// First-audio time with and without provider pre-warm, over real UDP on 127.0.0.1: the in-process UAC calls, and as
// soon as it has the 200 OK it speaks (20 ms frames); we time from the 200 OK to the provider's first sendAudio.
// The provider is the mock from @roomkit/testing whose connect takes HANDSHAKE_MS (a stand-in for the OpenAI/Gemini
// WebSocket handshake). Without pre-warm the call is answered at once and the caller's first words wait in the
// channel for the provider; with it the 200 OK goes out only once the provider is connected.
import { MemoryConversationStore, RoomKit } from "@roomkit/core";
import { RealtimeVoiceChannel } from "@roomkit/realtime-channel";
import { silentLogger } from "@roomkit/spec";
import { MockRealtimeProvider } from "@roomkit/testing";
import { SipVoiceBackend } from "../src/backend/sip-voice-backend.ts";
import { SIPRealtimeTransport } from "../src/sip-realtime-transport.ts";
import { SipTestClient } from "../src/loopback/sip-test-client.ts";

export const HANDSHAKE_MS = 250;

async function firstAudioMs(
  preWarm: boolean,
  rtpPortStart: number,
): Promise<{ answerMs: number; firstAudioMs: number }> {
  const backend = new SipVoiceBackend({
    host: "127.0.0.1",
    port: 0,
    rtpPortStart,
    rtpPortEnd: rtpPortStart + 10,
    preWarm,
    logger: silentLogger,
  });
  await backend.start();
  const kit = new RoomKit({ store: new MemoryConversationStore(), logger: silentLogger });
  const provider = new MockRealtimeProvider({ logger: silentLogger });
  provider.beforeConnect = () => new Promise((resolve) => setTimeout(resolve, HANDSHAKE_MS));
  const transport = new SIPRealtimeTransport({ backend, logger: silentLogger });
  const channel = new RealtimeVoiceChannel("voice", {
    provider,
    transport,
    inputSampleRate: 16000,
    outputSampleRate: 24000,
    logger: silentLogger,
  });
  kit.registerChannel(channel);
  backend.onCall(async (call) => {
    await kit.createRoom({ roomId: call.callId });
    await kit.attachChannel(call.callId, "voice");
    await channel.startSession(call.callId, "caller", { connection: call });
  });
  const client = await SipTestClient.create();
  const invitedAt = performance.now();
  client.invite(backend.localPort, "0 101");
  await client.until(() => client.responses(200).length > 0, 10_000, "200 OK");
  const answeredAt = performance.now();
  client.ack();
  const frame = new Uint8Array(new Int16Array(160).map((_, index) => Math.round(4000 * Math.sin(index / 3))).buffer);
  const speaking = setInterval(() => client.sendAudio(frame), 20);
  client.sendAudio(frame);
  while (provider.callsOf("sendAudio").length === 0 && performance.now() - answeredAt < 5000) {
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  const heardAt = performance.now();
  clearInterval(speaking);
  await kit.close();
  await transport.close();
  await backend.close();
  client.close();
  return { answerMs: answeredAt - invitedAt, firstAudioMs: heardAt - answeredAt };
}

/** Median over `rounds` alternating runs (without, with, without, …). */
export async function measurePrewarm(rounds: number, portBase: number) {
  const results = {
    without: [] as number[],
    with: [] as number[],
    answerWithout: [] as number[],
    answerWith: [] as number[],
  };
  for (let round = 0; round < rounds; round++) {
    const off = await firstAudioMs(false, portBase + round * 40);
    const on = await firstAudioMs(true, portBase + round * 40 + 20);
    results.without.push(off.firstAudioMs);
    results.answerWithout.push(off.answerMs);
    results.with.push(on.firstAudioMs);
    results.answerWith.push(on.answerMs);
  }
  const median = (values: number[]) =>
    Math.round([...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]! * 10) / 10;
  return {
    handshakeMs: HANDSHAKE_MS,
    rounds,
    note: "ms from the caller receiving 200 OK to the provider's first sendAudio (median); answer = INVITE → 200 OK",
    firstAudioMsWithoutPrewarm: median(results.without),
    firstAudioMsWithPrewarm: median(results.with),
    answerMsWithoutPrewarm: median(results.answerWithout),
    answerMsWithPrewarm: median(results.answerWith),
  };
}
