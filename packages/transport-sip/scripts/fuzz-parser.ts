// Fuzzes the wire parsers with generated and mutated input: SIP messages (parseSipMessage), SDP offers
// (answerOffer), RTP datagrams (parseRtpPacket) and RTCP compounds (parseRtcpReports, mutated from a real SR+SDES+BYE). Every input must parse or fail with the parser's own error
// (SipParseError / SdpNegotiationError / a {ok:false} result): anything else, or a single input taking more than 1 s
// (a hang: catastrophic backtracking, a loop), is a failure (exit 1). Bounded by FUZZ_COUNT (default 1,000,000 per
// parser) and FUZZ_SECONDS (default 120 in total). Prints one JSON line. `bun run fuzz`.
import { buildRtcpReport, parseRtcpReports } from "../src/rtp/rtcp.ts";
import { parseRtpPacket } from "../src/rtp/rtp-packet.ts";
import { answerOffer } from "../src/sdp/sdp-negotiation.ts";
import { SdpNegotiationError, SipParseError } from "../src/sip/sip-errors.ts";
import { parseSipMessage } from "../src/sip/sip-message.ts";

const HANG_MS = 1000;
const count = Number(process.env.FUZZ_COUNT ?? 1_000_000);
const deadline = performance.now() + Number(process.env.FUZZ_SECONDS ?? 120) * 1000;
let seed = Number(process.env.FUZZ_SEED ?? 20261206);
const random = () => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 2 ** 32;
};
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const encoder = new TextEncoder();

const SDP = [
  "v=0",
  "o=- 1 1 IN IP4 192.0.2.1",
  "s=-",
  "c=IN IP4 192.0.2.1",
  "t=0 0",
  "m=audio 6000 RTP/AVP 9 0 8 101",
  "a=rtpmap:9 G722/8000",
  "a=rtpmap:101 telephone-event/8000",
  "a=fmtp:101 0-16",
  "a=ptime:20",
  "",
].join("\r\n");

const HEADERS = [
  "Via: SIP/2.0/UDP 192.0.2.1:5080;branch=z9hG4bK-1;rport",
  "v: SIP/2.0/UDP [2001:db8::1]:5060;branch=z9hG4bKx, SIP/2.0/UDP a.example:5060;branch=z9hG4bKy",
  'From: "A, B" <sip:alice@example.com>;tag=1',
  "f: sip:alice@example.com;tag=2",
  "To: <sip:bot@example.com>",
  "Call-ID: abc@192.0.2.1",
  "i: xyz",
  "CSeq: 1 INVITE",
  "Contact: <sip:alice@192.0.2.1:5080>;expires=60",
  "Max-Forwards: 70",
  "X-Room-ID: room-1",
  "Subject: folded,\r\n  over lines",
  "Record-Route: <sip:proxy.example;lr>",
  'Authorization: Digest username="a", nonce="n", uri="sip:b", response="r"',
  "Content-Type: application/sdp",
];
const START_LINES = [
  "INVITE sip:bot@example.com SIP/2.0",
  "BYE sip:bot@example.com SIP/2.0",
  "OPTIONS sip:x SIP/2.0",
  "SIP/2.0 200 OK",
  "SIP/2.0 180 Ringing",
  "ACK sip:bot@example.com SIP/2.0",
];

function generateSip(): Uint8Array {
  const start = pick(START_LINES);
  const lines = [start];
  if (random() < 0.6) {
    // A well-formed core half the time, so mutations reach the header and body code, not only the first checks.
    const method = start.startsWith("SIP/") ? "INVITE" : start.split(" ")[0]!;
    lines.push(HEADERS[0]!, HEADERS[2]!, HEADERS[4]!, HEADERS[5]!, `CSeq: 1 ${method}`);
  }
  const headerCount = Math.floor(random() * 14);
  for (let index = 0; index < headerCount; index++) lines.push(pick(HEADERS));
  const body = random() < 0.5 ? SDP : "";
  const length = random() < 0.8 ? body.length : Math.floor(random() * 2 * (body.length + 10)) - 5;
  lines.push(`Content-Length: ${length}`, "", body);
  return mutate(encoder.encode(lines.join(random() < 0.9 ? "\r\n" : "\n")));
}

function mutate(data: Uint8Array): Uint8Array {
  const roll = random();
  if (roll < 0.3) return data;
  const out = Uint8Array.from(data);
  const edits = 1 + Math.floor(random() * 6);
  for (let edit = 0; edit < edits && out.length > 0; edit++) {
    const position = Math.floor(random() * out.length);
    const kind = random();
    if (kind < 0.5) out[position] = Math.floor(random() * 256);
    else if (kind < 0.7) out[position] = pick([13, 10, 58, 59, 44, 34, 60, 62, 32, 0]);
    else if (kind < 0.85) return out.subarray(0, position);
    else out.copyWithin(position, Math.floor(random() * out.length));
  }
  return out;
}

const RTCP = buildRtcpReport({
  ssrc: 1,
  cname: "fuzz@127.0.0.1",
  sender: { ntpSeconds: 1, ntpFraction: 2, rtpTimestamp: 3, packetCount: 4, octetCount: 5 },
  block: {
    ssrc: 6,
    fractionLost: 7,
    cumulativeLost: 8,
    extendedHighestSequence: 9,
    jitter: 10,
    lastSr: 11,
    delaySinceLastSr: 12,
  },
  bye: true,
});

type Fuzzed = { name: string; run: () => void; expected: (error: unknown) => boolean };
const parsers: Fuzzed[] = [
  {
    name: "sip",
    run: () => void parseSipMessage(generateSip()),
    expected: (error) => error instanceof SipParseError,
  },
  {
    name: "sdp",
    run: () =>
      void answerOffer(new TextDecoder().decode(mutate(encoder.encode(SDP))), {
        supportedPayloadTypes: [9, 0, 8],
        localAddress: "127.0.0.1",
        localPort: 40000,
        sessionName: "-",
        sessionId: 1,
      }),
    expected: (error) => error instanceof SdpNegotiationError,
  },
  {
    name: "rtp",
    run: () => {
      const length = Math.floor(random() * 200);
      const data = new Uint8Array(length);
      for (let index = 0; index < length; index++) data[index] = Math.floor(random() * 256);
      if (length > 0 && random() < 0.7) data[0] = 0x80 | (data[0]! & 0x3f);
      parseRtpPacket(data);
    },
    expected: () => false,
  },
  {
    name: "rtcp",
    run: () => void parseRtcpReports(mutate(RTCP)),
    expected: () => false,
  },
];

const report: Record<string, { inputs: number; rejected: number; slowest: number }> = {};
let failures = 0;
for (const parser of parsers) {
  const entry = { inputs: 0, rejected: 0, slowest: 0 };
  report[parser.name] = entry;
  for (let index = 0; index < count && performance.now() < deadline; index++) {
    const started = performance.now();
    try {
      parser.run();
    } catch (error) {
      if (!parser.expected(error)) {
        failures++;
        console.error(`${parser.name}: unexpected ${String(error)}`);
      } else entry.rejected++;
    }
    const took = performance.now() - started;
    if (took > entry.slowest) entry.slowest = Math.round(took * 1000) / 1000;
    if (took > HANG_MS) {
      failures++;
      console.error(`${parser.name}: one input took ${took.toFixed(1)} ms`);
    }
    entry.inputs++;
  }
}
console.log(JSON.stringify({ fuzz: report, failures, slowestUnit: "ms" }));
process.exit(failures === 0 ? 0 : 1);
