import { describe, expect, test } from "bun:test";
import { SdpNegotiationError } from "../sip/sip-errors.ts";
import { answerOffer, buildOffer } from "./sdp-negotiation.ts";
import { parseSdp } from "./sdp.ts";

const offer = (formats: string, extra: string[] = [], connection = "c=IN IP4 192.0.2.10") =>
  [
    "v=0",
    "o=sipp 1 1 IN IP4 192.0.2.10",
    "s=-",
    connection,
    "t=0 0",
    `m=audio 6000 RTP/AVP ${formats}`,
    "a=rtpmap:9 G722/8000",
    "a=rtpmap:0 PCMU/8000",
    "a=rtpmap:8 PCMA/8000",
    "a=rtpmap:96 telephone-event/8000",
    "a=fmtp:96 0-16",
    ...extra,
    "",
  ].join("\r\n");

const options = {
  supportedPayloadTypes: [9, 0, 8],
  localAddress: "127.0.0.1",
  localPort: 40000,
  sessionName: "-",
  sessionId: 7,
};

describe("SDP offer/answer", () => {
  test("the offer's order picks the codec: 9 0 8 ⇒ G.722 at 16 kHz audio; 0 8 9 ⇒ PCMU; 8 ⇒ PCMA", () => {
    const g722 = answerOffer(offer("9 0 8 96"), options).media;
    expect(g722.codec.name).toBe("G722");
    expect(g722.codec.sampleRate).toBe(16000);
    expect(g722.codec.clockRate).toBe(8000);
    expect(answerOffer(offer("0 8 9"), options).media.codec.name).toBe("PCMU");
    expect(answerOffer(offer("8"), options).media.codec.name).toBe("PCMA");
    expect(answerOffer(offer("9 0 8"), { ...options, supportedPayloadTypes: [0, 8] }).media.codec.name).toBe("PCMU");
  });

  test("the answer carries one codec, telephone-event at the offerer's PT, ptime and mirrored direction", () => {
    const { answer, media } = answerOffer(offer("9 0 96", ["a=ptime:30", "a=sendonly"]), options);
    expect(media.dtmfPayloadType).toBe(96);
    const parsed = parseSdp(answer);
    expect(parsed.connection).toBe("127.0.0.1");
    expect(parsed.media[0]!.formats).toEqual(["9", "96"]);
    expect(parsed.media[0]!.port).toBe(40000);
    expect(parsed.media[0]!.attributes).toEqual([
      "rtpmap:9 G722/8000",
      "rtpmap:96 telephone-event/8000",
      "fmtp:96 0-16",
      "ptime:30",
      "recvonly",
    ]);
    expect(media).toMatchObject({ remoteAddress: "192.0.2.10", remotePort: 6000, ptimeMs: 30, direction: "recvonly" });
  });

  test("no telephone-event in the offer ⇒ none in the answer", () => {
    const { answer, media } = answerOffer(offer("0"), options);
    expect(media.dtmfPayloadType).toBeUndefined();
    expect(answer).not.toContain("telephone-event");
  });

  test("other m-lines are refused with port 0, in order; media-level c= wins", () => {
    const text = offer("0", ["m=video 6002 RTP/AVP 31", "c=IN IP4 192.0.2.99"]).replace(
      "m=audio 6000 RTP/AVP 0",
      "m=audio 6000 RTP/AVP 0\r\nc=IN IP4 192.0.2.20",
    );
    const { answer, media } = answerOffer(text, options);
    expect(media.remoteAddress).toBe("192.0.2.20");
    expect(parseSdp(answer).media.map((m) => [m.media, m.port])).toEqual([
      ["audio", 40000],
      ["video", 0],
    ]);
  });

  test("IPv6 connection addresses are accepted", () => {
    expect(answerOffer(offer("0", [], "c=IN IP6 2001:db8::5"), options).media.remoteAddress).toBe("2001:db8::5");
  });

  test("no shared codec, no audio, no address, malformed ⇒ SdpNegotiationError (488)", () => {
    expect(() => answerOffer(offer("18"), options)).toThrow(SdpNegotiationError);
    expect(() => answerOffer(offer("0").replace("c=IN IP4 192.0.2.10\r\n", ""), options)).toThrow(/connection/);
    expect(() => answerOffer("v=0\r\ns=-\r\n", options)).toThrow(/no active audio/);
    expect(() => answerOffer("garbage", options)).toThrow(SdpNegotiationError);
    expect(() => answerOffer(offer("0").replace("m=audio 6000", "m=audio 99999"), options)).toThrow(
      SdpNegotiationError,
    );
    expect(() => answerOffer(offer("0").replace("RTP/AVP", "RTP/SAVP"), options)).toThrow(/protocol/);
    // A PT whose rtpmap names another codec is not taken for ours.
    expect(() => answerOffer(offer("0").replace("a=rtpmap:0 PCMU/8000", "a=rtpmap:0 OPUS/48000"), options)).toThrow(
      SdpNegotiationError,
    );
  });

  test("our offer for dial(): codecs in preference order and telephone-event", () => {
    const text = buildOffer({
      payloadTypes: [9, 0],
      dtmfPayloadType: 101,
      localAddress: "10.0.0.1",
      localPort: 4000,
      sessionName: "-",
      sessionId: 1,
    });
    const parsed = parseSdp(text);
    expect(parsed.media[0]!.formats).toEqual(["9", "0", "101"]);
    expect(answerOffer(text, options).media.codec.name).toBe("G722");
    expect(() =>
      buildOffer({
        payloadTypes: [18],
        dtmfPayloadType: 101,
        localAddress: "a",
        localPort: 1,
        sessionName: "-",
        sessionId: 1,
      }),
    ).toThrow(SdpNegotiationError);
  });
});
