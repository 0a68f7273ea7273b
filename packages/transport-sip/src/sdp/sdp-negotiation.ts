import { codecForPayloadType, type CodecInfo } from "../rtp/codecs.ts";
import { SdpNegotiationError } from "../sip/sip-errors.ts";
import { mediaAttribute, parseSdp, rtpMaps, serializeSdp } from "./sdp.ts";

export type MediaDirection = "sendrecv" | "sendonly" | "recvonly" | "inactive";

export interface NegotiatedMedia {
  codec: CodecInfo;
  /** telephone-event PT, mirrored from the offer (RFC 3264 §6.1); undefined when the offer had none. */
  dtmfPayloadType: number | undefined;
  remoteAddress: string;
  remotePort: number;
  ptimeMs: number;
  /** Our direction (the mirror of the offer's). */
  direction: MediaDirection;
}

export interface AnswerOptions {
  /** Payload types we accept, in no particular order: the offer's order decides. */
  supportedPayloadTypes: readonly number[];
  localAddress: string;
  localPort: number;
  sessionName: string;
  sessionId: number;
}

const MIRROR: Record<MediaDirection, MediaDirection> = {
  sendrecv: "sendrecv",
  sendonly: "recvonly",
  recvonly: "sendonly",
  inactive: "inactive",
};

function ipVersion(address: string): "IP4" | "IP6" {
  return address.includes(":") ? "IP6" : "IP4";
}

function offerDirection(attributes: readonly string[]): MediaDirection {
  for (const attribute of attributes) {
    if (attribute === "sendonly" || attribute === "recvonly" || attribute === "inactive" || attribute === "sendrecv") {
      return attribute;
    }
  }
  return "sendrecv";
}

/**
 * Answers an SDP offer (RFC 3264): the first audio m-line is used, the first offered payload type we support wins,
 * telephone-event is answered at the offerer's PT, ptime is copied, direction mirrored; other m-lines are refused
 * with port 0. No shared codec, no address, or a malformed offer ⇒ `SdpNegotiationError` (488).
 */
export function answerOffer(offerText: string, options: AnswerOptions): { answer: string; media: NegotiatedMedia } {
  const offer = parseSdp(offerText);
  const audioIndex = offer.media.findIndex((media) => media.media === "audio" && media.port !== 0);
  if (audioIndex < 0) throw new SdpNegotiationError("offer has no active audio stream");
  const audio = offer.media[audioIndex]!;
  if (!/^RTP\/AVP$/i.test(audio.protocol))
    throw new SdpNegotiationError(`unsupported media protocol ${audio.protocol}`);
  const maps = rtpMaps(audio);
  let codec: CodecInfo | undefined;
  for (const format of audio.formats) {
    if (!/^\d{1,3}$/.test(format)) continue;
    const payloadType = Number(format);
    if (!options.supportedPayloadTypes.includes(payloadType)) continue;
    const candidate = codecForPayloadType(payloadType);
    const mapped = maps.get(payloadType);
    if (candidate && (!mapped || mapped.name.toUpperCase() === candidate.name)) {
      codec = candidate;
      break;
    }
  }
  if (!codec) throw new SdpNegotiationError(`no supported codec in offer (${audio.formats.join(" ")})`);
  let dtmfPayloadType: number | undefined;
  for (const [payloadType, map] of maps) {
    if (
      map.name.toLowerCase() === "telephone-event" &&
      map.clockRate === 8000 &&
      audio.formats.includes(String(payloadType))
    ) {
      dtmfPayloadType = payloadType;
      break;
    }
  }
  const remoteAddress = audio.connection ?? offer.connection;
  if (!remoteAddress) throw new SdpNegotiationError("offer has no connection address");
  const ptimeText = mediaAttribute(audio, "ptime");
  const ptime = ptimeText && /^\d{1,3}$/.test(ptimeText) ? Number(ptimeText) : 20;
  const direction = MIRROR[offerDirection(audio.attributes)];
  const media: NegotiatedMedia = {
    codec,
    dtmfPayloadType,
    remoteAddress,
    remotePort: audio.port,
    ptimeMs: ptime,
    direction,
  };
  const lines = [
    "v=0",
    `o=- ${options.sessionId} ${options.sessionId} IN ${ipVersion(options.localAddress)} ${options.localAddress}`,
    `s=${options.sessionName}`,
    `c=IN ${ipVersion(options.localAddress)} ${options.localAddress}`,
    "t=0 0",
  ];
  offer.media.forEach((entry, index) => {
    if (index !== audioIndex) {
      lines.push(`m=${entry.media} 0 ${entry.protocol} ${entry.formats.join(" ")}`);
      return;
    }
    const formats = dtmfPayloadType === undefined ? [codec.payloadType] : [codec.payloadType, dtmfPayloadType];
    lines.push(`m=audio ${options.localPort} RTP/AVP ${formats.join(" ")}`);
    lines.push(`a=rtpmap:${codec.payloadType} ${codec.name}/${codec.clockRate}`);
    if (dtmfPayloadType !== undefined) {
      lines.push(`a=rtpmap:${dtmfPayloadType} telephone-event/8000`, `a=fmtp:${dtmfPayloadType} 0-16`);
    }
    lines.push(`a=ptime:${ptime}`, `a=${direction}`);
  });
  return { answer: serializeSdp(lines), media };
}

export interface OfferOptions {
  payloadTypes: readonly number[];
  dtmfPayloadType: number;
  localAddress: string;
  localPort: number;
  sessionName: string;
  sessionId: number;
}

/** Our offer for `dial()`: the codecs in preference order, telephone-event, ptime 20, sendrecv. */
export function buildOffer(options: OfferOptions): string {
  const codecs = options.payloadTypes.map((payloadType) => {
    const codec = codecForPayloadType(payloadType);
    if (!codec) throw new SdpNegotiationError(`unsupported codec payload type ${payloadType}`);
    return codec;
  });
  const version = ipVersion(options.localAddress);
  const lines = [
    "v=0",
    `o=- ${options.sessionId} ${options.sessionId} IN ${version} ${options.localAddress}`,
    `s=${options.sessionName}`,
    `c=IN ${version} ${options.localAddress}`,
    "t=0 0",
    `m=audio ${options.localPort} RTP/AVP ${[...codecs.map((codec) => codec.payloadType), options.dtmfPayloadType].join(" ")}`,
    ...codecs.map((codec) => `a=rtpmap:${codec.payloadType} ${codec.name}/${codec.clockRate}`),
    `a=rtpmap:${options.dtmfPayloadType} telephone-event/8000`,
    `a=fmtp:${options.dtmfPayloadType} 0-16`,
    "a=ptime:20",
    "a=sendrecv",
  ];
  return serializeSdp(lines);
}

/**
 * Reads the answer to our offer: the first active audio m-line, its first payload type among those we offered,
 * telephone-event at the answerer's PT. Nothing usable ⇒ `SdpNegotiationError`.
 */
export function readAnswer(answerText: string, offeredPayloadTypes: readonly number[]): NegotiatedMedia {
  const answer = parseSdp(answerText);
  const audio = answer.media.find((media) => media.media === "audio" && media.port !== 0);
  if (!audio) throw new SdpNegotiationError("answer has no active audio stream");
  let codec: CodecInfo | undefined;
  for (const format of audio.formats) {
    const payloadType = Number(format);
    if (offeredPayloadTypes.includes(payloadType)) {
      codec = codecForPayloadType(payloadType);
      if (codec) break;
    }
  }
  if (!codec) throw new SdpNegotiationError(`answer picked no codec we offered (${audio.formats.join(" ")})`);
  let dtmfPayloadType: number | undefined;
  for (const [payloadType, map] of rtpMaps(audio)) {
    if (map.name.toLowerCase() === "telephone-event" && audio.formats.includes(String(payloadType))) {
      dtmfPayloadType = payloadType;
    }
  }
  const remoteAddress = audio.connection ?? answer.connection;
  if (!remoteAddress) throw new SdpNegotiationError("answer has no connection address");
  const ptimeText = mediaAttribute(audio, "ptime");
  return {
    codec,
    dtmfPayloadType,
    remoteAddress,
    remotePort: audio.port,
    ptimeMs: ptimeText && /^\d{1,3}$/.test(ptimeText) ? Number(ptimeText) : 20,
    direction: MIRROR[offerDirection(audio.attributes)],
  };
}
