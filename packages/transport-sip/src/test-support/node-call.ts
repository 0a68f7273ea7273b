// Run by node-runtime.node.test.ts under Node 22/24 (node --conditions=bun with scripts/node-test/register.mjs): the
// same SipVoiceBackend + SIPRealtimeTransport on node:dgram answer a call from the in-process UAC, carry audio both
// ways and end on BYE. Prints one JSON line; the Bun test asserts on it.
import { silentLogger, VoiceSession } from "@roomkit/spec";
import type { SipCall } from "../backend/sip-call.ts";
import { SipVoiceBackend } from "../backend/sip-voice-backend.ts";
import { SIPRealtimeTransport } from "../sip-realtime-transport.ts";
import { SipTestClient } from "../loopback/sip-test-client.ts";

const rtpPortStart = Number(process.argv[2] ?? 45000);
const backend = new SipVoiceBackend({
  host: "127.0.0.1",
  port: 0,
  rtpPortStart,
  rtpPortEnd: rtpPortStart + 10,
  logger: silentLogger,
});
await backend.start();
const transport = new SIPRealtimeTransport({ backend, logger: silentLogger });
const client = await SipTestClient.create();
const answered = new Promise<SipCall>((resolve) => backend.onCall(resolve));
await client.call(backend.localPort, "9 0 101");
const call = await answered;
const session = new VoiceSession({
  id: "node-1",
  roomId: call.info.roomId,
  participantId: "caller",
  channelId: "voice",
});
let receivedBytes = 0;
let disconnected = 0;
const digits: string[] = [];
transport.onAudioReceived((_session, audio) => {
  receivedBytes += (audio as Uint8Array).byteLength;
});
transport.onDtmf((_session, digit) => void digits.push(digit.digit));
transport.onClientDisconnected(() => void disconnected++);
const accepted = await transport.accept(session, call);
await transport.activate(session);
const tone = new Int16Array(320 * 10).map((_, index) => Math.round(5000 * Math.sin(index / 3)));
client.sendAudio(new Uint8Array(tone.buffer));
client.sendDtmf("7");
transport.sendAudio(session, new Uint8Array(tone.buffer));
transport.endOfResponse(session);
await client.until(() => client.rtpPackets.length >= 10 && receivedBytes >= 6400 && digits.length === 1, 5000, "media");
await client.bye();
await client.until(() => disconnected === 1, 5000, "disconnect");
await backend.close();
client.close();
console.log(
  JSON.stringify({
    runtime: process.version,
    sampleRate: accepted.sampleRate,
    receivedBytes,
    sentPackets: client.rtpPackets.length,
    digits,
    disconnected,
    portsInUse: backend.rtpPortsInUse,
  }),
);
