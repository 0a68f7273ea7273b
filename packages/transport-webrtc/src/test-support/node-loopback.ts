// Run by node.test.ts under Node 22/24 (node --conditions=bun with scripts/node-test/register.mjs): the same
// transport behind node:http (toNodeListener) and a werift client peer on 127.0.0.1, audio both ways and a hang-up.
// Prints one JSON line; the Bun test asserts on it.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { generateTone } from "@roomkit/audio";
import { silentLogger, VoiceSession } from "@roomkit/spec";
import { toNodeListener } from "../adapters/node-listener.ts";
import { FastRTCRealtimeTransport } from "../fastrtc-realtime-transport.ts";
import { createFastRTCOfferHandler } from "../signalling/offer-handler.ts";
import { concatPcm, LOOPBACK_ICE, WeriftTestClient, zeroCrossingHz } from "./werift-client.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(predicate: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!predicate() && Date.now() < deadline) await sleep(10);
  return predicate();
}

const transport = new FastRTCRealtimeTransport({ ...LOOPBACK_ICE, outboundAudio: "both", logger: silentLogger });
const handler = createFastRTCOfferHandler(transport, { path: "/rtc-realtime" });
const server = createServer(toNodeListener(handler));
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const port = (server.address() as AddressInfo).port;
const received: Uint8Array[] = [];
transport.onAudioReceived((_session, audio) => void received.push((audio as { data: Uint8Array }).data));
let session: VoiceSession | undefined;
transport.onClientConnected(async (webrtcId) => {
  const created = new VoiceSession({ id: "node-session", roomId: "room", participantId: "me", channelId: "voice" });
  await transport.accept(created, webrtcId);
  session = created;
});
let disconnected = 0;
transport.onClientDisconnected(() => {
  disconnected++;
});
const result: Record<string, unknown> = { runtime: process.version };
const client = new WeriftTestClient(`http://127.0.0.1:${port}/rtc-realtime/webrtc/offer`);
try {
  const reply = await client.connect();
  result.offerStatus = reply.status;
  const bad = await client.post({ type: "offer", webrtc_id: "x" });
  result.badStatus = bad.status;
  result.started = await until(() => session !== undefined, 10_000);
  client.sendPcm(generateTone({ frequency: 440, durationMs: 600, sampleRate: 16000, amplitude: 0.3 }));
  await until(() => received.reduce((sum, pcm) => sum + pcm.byteLength, 0) >= 16000, 5000);
  const heard = concatPcm(received);
  result.inboundHz = zeroCrossingHz(heard.subarray(3200, 16000), 16000);
  transport.sendAudio(session!, generateTone({ frequency: 1000, durationMs: 400, sampleRate: 24000 }));
  transport.endOfResponse(session!);
  await until(() => client.keptDataChannelBytes >= 19200 && client.trackPackets >= 18, 5000);
  result.dataChannelHz = zeroCrossingHz(concatPcm(client.dataChannelPcm), 24000);
  result.trackPackets = client.trackPackets;
  await client.close();
  result.hangUpDetected = await until(() => disconnected === 1, 5000);
  result.peersLeft = transport.peerCount;
} catch (error) {
  result.error = String((error as Error)?.stack ?? error);
} finally {
  await transport.close();
  server.close();
}
console.log(JSON.stringify(result));
process.exit(0);
