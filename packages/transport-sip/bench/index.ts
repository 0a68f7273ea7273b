// Benchmark: the per-packet CPU cost of the media path and the SIP parser, in-process (no kernel time):
//   rtp_out  = one 20 ms frame through RtpSession.sendPcm (encode + packetise; the socket is a counting stub),
//   rtp_in   = one RTP datagram through the receive path (parse + sequence checks + decode + delivery),
//   codec    = one 20 ms frame of G.711 μ-law / A-law (160 samples) and G.722 (320 samples), each direction,
//   sip_parse = one INVITE with SDP (~600 bytes) parsed;
//   prewarm  = first-audio time with and without provider pre-warm (see prewarm.ts).
// Each figure is the median of BENCH_ROUNDS (default 7) timed runs of BENCH_ITERATIONS (default 20000) operations,
// runs of the different cases interleaved. Prints ONE JSON object (ns per operation).
import { EventEmitter } from "node:events";
import type { Socket } from "node:dgram";
import { decodeAlaw, decodeMulaw, encodeAlaw, encodeMulaw, G722Decoder, G722Encoder } from "@roomkit/audio";
import { silentLogger, systemClock } from "@roomkit/spec";
import { codecForPayloadType } from "../src/rtp/codecs.ts";
import { serializeRtpPacket } from "../src/rtp/rtp-packet.ts";
import { RtpSession } from "../src/rtp/rtp-session.ts";
import { parseSipMessage } from "../src/sip/sip-message.ts";
import { measurePrewarm } from "./prewarm.ts";

const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
const iterations = Number(process.env.BENCH_ITERATIONS ?? 20_000);

class StubSocket extends EventEmitter {
  sent = 0;
  address() {
    return { address: "127.0.0.1", port: 40000, family: "IPv4" };
  }
  send() {
    this.sent++;
  }
  close() {}
}

function tone(samples: number): Uint8Array {
  const pcm = new Int16Array(samples);
  for (let index = 0; index < samples; index++) pcm[index] = Math.round(8000 * Math.sin(index / 3));
  return new Uint8Array(pcm.buffer);
}

function session(payloadType: number, socket: StubSocket, onAudio: () => void) {
  return new RtpSession({
    socket: socket as unknown as Socket,
    codec: codecForPayloadType(payloadType)!,
    remoteAddress: "127.0.0.1",
    remotePort: 6000,
    dtmfPayloadType: 101,
    symmetricRtp: false,
    clock: systemClock,
    logger: silentLogger,
    onAudio,
    onDtmf: () => {},
  });
}

function inboundCase(payloadType: number) {
  const socket = new StubSocket();
  let delivered = 0;
  session(payloadType, socket, () => void delivered++);
  const codec = codecForPayloadType(payloadType)!;
  const payload = codec.createEncoder().encode(tone(codec.sampleRate / 50));
  const packets = Array.from({ length: 256 }, () =>
    serializeRtpPacket({ marker: false, payloadType, sequenceNumber: 0, timestamp: 0, ssrc: 7, payload }),
  );
  let sequence = 0;
  const info = { address: "127.0.0.1", port: 6000, family: "IPv4", size: 0 };
  return () => {
    const packet = packets[sequence & 255]!;
    packet[2] = (sequence >> 8) & 0xff;
    packet[3] = sequence & 0xff;
    sequence = (sequence + 1) & 0xffff;
    socket.emit("message", packet, info);
  };
}

function outboundCase(payloadType: number) {
  const socket = new StubSocket();
  const rtp = session(payloadType, socket, () => {});
  const frame = tone(codecForPayloadType(payloadType)!.sampleRate / 50);
  return () => rtp.sendPcm(frame);
}

const invite = new TextEncoder().encode(
  [
    "INVITE sip:bot@127.0.0.1:5070 SIP/2.0",
    "Via: SIP/2.0/UDP 127.0.0.1:5080;branch=z9hG4bK-524287-1---abc;rport",
    'From: "Alice" <sip:alice@127.0.0.1:5080>;tag=abc',
    "To: <sip:bot@127.0.0.1:5070>",
    "Call-ID: 1-2345@127.0.0.1",
    "CSeq: 1 INVITE",
    "Contact: <sip:alice@127.0.0.1:5080>",
    "Max-Forwards: 70",
    "X-Room-ID: room-1",
    "Content-Type: application/sdp",
    "Content-Length: 181",
    "",
    "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 6000 RTP/AVP 9 0 8 101\r\na=rtpmap:9 G722/8000\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=ptime:20\r\n",
  ].join("\r\n"),
);

const frame8k = tone(160);
const frame16k = tone(320);
const mulaw = encodeMulaw(frame8k);
const alaw = encodeAlaw(frame8k);
const g722Encoder = new G722Encoder();
const g722Decoder = new G722Decoder();
const g722Bytes = new G722Encoder().encode(frame16k);

const cases: Record<string, () => unknown> = {
  rtp_out_pcmu: outboundCase(0),
  rtp_out_g722: outboundCase(9),
  rtp_in_pcmu: inboundCase(0),
  rtp_in_g722: inboundCase(9),
  g711_mulaw_encode_20ms: () => encodeMulaw(frame8k),
  g711_mulaw_decode_20ms: () => decodeMulaw(mulaw),
  g711_alaw_encode_20ms: () => encodeAlaw(frame8k),
  g711_alaw_decode_20ms: () => decodeAlaw(alaw),
  g722_encode_20ms: () => g722Encoder.encode(frame16k),
  g722_decode_20ms: () => g722Decoder.decode(g722Bytes),
  sip_parse_invite: () => parseSipMessage(invite),
};

const samples: Record<string, number[]> = {};
for (const name of Object.keys(cases)) for (let index = 0; index < 2000; index++) cases[name]!(); // warm-up
for (let round = 0; round < rounds; round++) {
  for (const [name, run] of Object.entries(cases)) {
    const start = performance.now();
    for (let index = 0; index < iterations; index++) run();
    (samples[name] ??= []).push(((performance.now() - start) * 1e6) / iterations);
  }
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const prewarm = await measurePrewarm(Number(process.env.BENCH_PREWARM_ROUNDS ?? 5), 47000);
const nsPerOp = Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, Math.round(median(values))]));
console.log(
  JSON.stringify({
    benchmark: "transport-sip",
    runtime: `bun ${Bun.version}`,
    rounds,
    iterations,
    unit: "ns per operation (median of rounds)",
    nsPerOp,
    prewarm,
    realtimeShare: {
      note: "fraction of one core per call for 50 packets/s each way (G.722: rtp_in + rtp_out)",
      g722Call: Number((((nsPerOp.rtp_in_g722! + nsPerOp.rtp_out_g722!) * 50) / 1e9).toFixed(6)),
      pcmuCall: Number((((nsPerOp.rtp_in_pcmu! + nsPerOp.rtp_out_pcmu!) * 50) / 1e9).toFixed(6)),
    },
  }),
);
