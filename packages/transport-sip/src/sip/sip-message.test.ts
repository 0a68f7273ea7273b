import { describe, expect, test } from "bun:test";
import { SipParseError } from "./sip-errors.ts";
import {
  canonicalHeaderName,
  headerValue,
  headerValues,
  parseSipMessage,
  type SipRequest,
  serializeSipMessage,
  splitHeaderList,
} from "./sip-message.ts";

const encode = (text: string) => new TextEncoder().encode(text);
const crlf = (lines: string[]) => encode(lines.join("\r\n"));

const INVITE = [
  "INVITE sip:bot@127.0.0.1:5070 SIP/2.0",
  "Via: SIP/2.0/UDP 127.0.0.1:5080;branch=z9hG4bK-1;rport",
  'From: "Alice Smith" <sip:alice@127.0.0.1:5080>;tag=abc',
  "To: <sip:bot@127.0.0.1:5070>",
  "Call-ID: call-1@host",
  "CSeq: 1 INVITE",
  "Contact: <sip:alice@127.0.0.1:5080>",
  "X-Room-ID: room-7",
  "Content-Type: application/sdp",
  "Content-Length: 4",
  "",
  "v=0\r",
].join("\r\n");

describe("parseSipMessage", () => {
  test("a request: method, URI, headers in order, body cut at Content-Length", () => {
    const message = parseSipMessage(encode(`${INVITE}\nEXTRA`)) as SipRequest;
    expect(message.kind).toBe("request");
    expect(message.method).toBe("INVITE");
    expect(message.uri).toBe("sip:bot@127.0.0.1:5070");
    expect(headerValue(message, "call-id")).toBe("call-1@host");
    expect(headerValue(message, "X-Room-ID")).toBe("room-7");
    expect(new TextDecoder().decode(message.body)).toBe("v=0\r");
  });

  test("a response: status, reason with spaces", () => {
    const message = parseSipMessage(
      crlf([
        "SIP/2.0 486 Busy Here Now",
        "Via: SIP/2.0/UDP h;branch=z9hG4bKx",
        "From: <sip:a@b>;tag=1",
        "To: <sip:c@d>;tag=2",
        "Call-ID: x",
        "CSeq: 1 INVITE",
        "",
        "",
      ]),
    );
    expect(message.kind === "response" && message.status).toBe(486);
    expect(message.kind === "response" && message.reason).toBe("Busy Here Now");
  });

  test("compact names, folded lines, list headers split, bare LF line ends, leading CRLF keep-alive", () => {
    const message = parseSipMessage(
      encode(
        [
          "\r\nOPTIONS sip:x@y SIP/2.0",
          "v: SIP/2.0/UDP a:1;branch=z9hG4bK1, SIP/2.0/UDP b:2;branch=z9hG4bK2",
          "f: <sip:a@b>;tag=1",
          "t: <sip:c@d>",
          "i: folded-id",
          "CSeq: 9",
          "  OPTIONS",
          "Subject: hello,",
          "\tworld",
          'm: <sip:a@b>, "Name, with comma" <sip:c@d>',
          "l: 0",
          "",
          "",
        ].join("\n"),
      ),
    );
    expect(headerValues(message, "Via")).toEqual([
      "SIP/2.0/UDP a:1;branch=z9hG4bK1",
      "SIP/2.0/UDP b:2;branch=z9hG4bK2",
    ]);
    expect(headerValue(message, "CSeq")).toBe("9 OPTIONS");
    expect(headerValue(message, "Subject")).toBe("hello, world");
    expect(headerValues(message, "Contact")).toEqual(["<sip:a@b>", '"Name, with comma" <sip:c@d>']);
  });

  test("canonical header names", () => {
    expect(canonicalHeaderName("call-id")).toBe("Call-ID");
    expect(canonicalHeaderName("CSEQ")).toBe("CSeq");
    expect(canonicalHeaderName("www-authenticate")).toBe("WWW-Authenticate");
    expect(canonicalHeaderName("x-room-id")).toBe("X-Room-Id");
    expect(canonicalHeaderName("l")).toBe("Content-Length");
    expect(splitHeaderList('a, "b,c" <d,e>, f')).toEqual(["a", '"b,c" <d,e>', "f"]);
  });

  test("serialize ∘ parse is stable and writes Content-Length from the body", () => {
    const first = parseSipMessage(encode(INVITE));
    const bytes = serializeSipMessage(first);
    const second = parseSipMessage(bytes);
    expect(serializeSipMessage(second)).toEqual(bytes);
    expect(new TextDecoder().decode(bytes)).toContain("Content-Length: 4\r\n\r\nv=0\r");
  });

  test("serialize refuses header injection", () => {
    const message = parseSipMessage(encode(INVITE));
    message.headers.push({ name: "Reason", value: "x\r\nEvil: 1" });
    expect(() => serializeSipMessage(message)).toThrow(SipParseError);
  });

  // RFC 4475-style torture cases: each one parses or fails with SipParseError, never anything else.
  const torture: Array<[string, Uint8Array, "ok" | "error"]> = [
    ["empty datagram", new Uint8Array(0), "error"],
    ["only CRLFs", encode("\r\n\r\n\r\n"), "error"],
    ["no blank line", encode("INVITE sip:a@b SIP/2.0\r\nVia: x"), "error"],
    ["missing Call-ID", encode(INVITE.replace("Call-ID: call-1@host\r\n", "")), "error"],
    ["bad version", encode(INVITE.replace("SIP/2.0\r\nVia", "SIP/7.0\r\nVia")), "error"],
    ["extra space in request line", encode(INVITE.replace("INVITE sip", "INVITE  sip")), "error"],
    ["Request-URI with spaces", encode(INVITE.replace("sip:bot@127.0.0.1:5070 SIP", "sip:bot @x SIP")), "error"],
    ["negative Content-Length", encode(INVITE.replace("Content-Length: 4", "Content-Length: -4")), "error"],
    ["Content-Length beyond the body", encode(INVITE.replace("Content-Length: 4", "Content-Length: 9999")), "error"],
    ["huge Content-Length", encode(INVITE.replace("Content-Length: 4", "Content-Length: 99999999999999")), "error"],
    ["CSeq method mismatch", encode(INVITE.replace("CSeq: 1 INVITE", "CSeq: 1 BYE")), "error"],
    ["CSeq above 2^31", encode(INVITE.replace("CSeq: 1 INVITE", "CSeq: 4294967296 INVITE")), "error"],
    ["header without colon", encode(INVITE.replace("X-Room-ID: room-7", "X-Room-ID room-7")), "error"],
    ["header name with space", encode(INVITE.replace("X-Room-ID:", "X Room:")), "error"],
    [
      "status code 999",
      encode("SIP/2.0 999 Nope\r\nVia: a\r\nFrom: a\r\nTo: b\r\nCall-ID: c\r\nCSeq: 1 X\r\n\r\n"),
      "error",
    ],
    ["binary garbage", new Uint8Array(300).map((_, index) => (index * 37) & 0xff), "error"],
    ["unknown method is a token", encode(INVITE.replace(/INVITE/g, "NEWMETHOD")), "ok"],
    ["case-insensitive header names", encode(INVITE.replace("Call-ID:", "cAlL-iD:")), "ok"],
    ["whitespace around colon", encode(INVITE.replace("X-Room-ID: room-7", "X-Room-ID   :   room-7")), "ok"],
    [
      "invalid UTF-8 in a header value",
      encode(INVITE.replace("room-7", "room-\u00ff")).map((byte) => (byte === 0xc3 ? 0xff : byte)),
      "ok",
    ],
    [
      "duplicate identical Content-Length",
      encode(INVITE.replace("Content-Length: 4", "Content-Length: 4\r\nl: 4")),
      "ok",
    ],
    ["conflicting Content-Length", encode(INVITE.replace("Content-Length: 4", "Content-Length: 4\r\nl: 3")), "error"],
  ];
  for (const [name, data, expected] of torture) {
    test(`torture: ${name} ⇒ ${expected === "ok" ? "parses" : "SipParseError"}`, () => {
      if (expected === "ok") expect(() => parseSipMessage(data)).not.toThrow();
      else expect(() => parseSipMessage(data)).toThrow(SipParseError);
    });
  }

  test("size caps: an oversized datagram and too many headers are refused", () => {
    expect(() => parseSipMessage(new Uint8Array(70_000))).toThrow(/exceeds/);
    const many = INVITE.replace("X-Room-ID: room-7", Array.from({ length: 250 }, (_, i) => `X-H${i}: v`).join("\r\n"));
    expect(() => parseSipMessage(encode(many))).toThrow(/more than 200 headers/);
  });

  test("mutation fuzz (bounded): every mutated message parses or throws SipParseError", () => {
    const base = encode(INVITE);
    let seed = 12345;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    let parsed = 0;
    for (let round = 0; round < 20_000; round++) {
      const data = base.slice();
      const edits = 1 + Math.floor(random() * 4);
      for (let edit = 0; edit < edits; edit++) data[Math.floor(random() * data.length)] = Math.floor(random() * 256);
      const cut = random() < 0.2 ? data.subarray(0, Math.floor(random() * data.length)) : data;
      try {
        parseSipMessage(cut);
        parsed++;
      } catch (error) {
        expect(error).toBeInstanceOf(SipParseError);
      }
    }
    expect(parsed).toBeGreaterThan(0);
  });
});
