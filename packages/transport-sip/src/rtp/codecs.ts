import { decodeAlaw, decodeMulaw, encodeAlaw, encodeMulaw, G722Decoder, G722Encoder } from "@roomkit/audio";

/** Turns PCM16 frames into RTP payloads for one direction of one call (stateful for G.722). */
export interface PayloadEncoder {
  encode(pcm: Uint8Array): Uint8Array;
}
/** Turns RTP payloads back into PCM16 at the codec's audio rate. */
export interface PayloadDecoder {
  decode(payload: Uint8Array): Uint8Array;
}

export interface CodecInfo {
  payloadType: number;
  /** rtpmap encoding name. */
  name: "PCMU" | "PCMA" | "G722";
  /** RTP clock (8000 for all three; G.722 keeps RFC 3551's historical 8 kHz clock). */
  clockRate: number;
  /** PCM rate of the audio the codec carries (16000 for G.722). */
  sampleRate: number;
  createEncoder(): PayloadEncoder;
  createDecoder(): PayloadDecoder;
}

export const PT_PCMU = 0;
export const PT_PCMA = 8;
export const PT_G722 = 9;

const CODECS: readonly CodecInfo[] = [
  {
    payloadType: PT_PCMU,
    name: "PCMU",
    clockRate: 8000,
    sampleRate: 8000,
    createEncoder: () => ({ encode: encodeMulaw }),
    createDecoder: () => ({ decode: decodeMulaw }),
  },
  {
    payloadType: PT_PCMA,
    name: "PCMA",
    clockRate: 8000,
    sampleRate: 8000,
    createEncoder: () => ({ encode: encodeAlaw }),
    createDecoder: () => ({ decode: decodeAlaw }),
  },
  {
    payloadType: PT_G722,
    name: "G722",
    clockRate: 8000,
    sampleRate: 16000,
    createEncoder: () => new G722Encoder(),
    createDecoder: () => new G722Decoder(),
  },
];

export function codecForPayloadType(payloadType: number): CodecInfo | undefined {
  return CODECS.find((codec) => codec.payloadType === payloadType);
}

/** Payload types this package implements, in default preference order (G.722, PCMU, PCMA). */
export const SUPPORTED_PAYLOAD_TYPES: readonly number[] = [PT_G722, PT_PCMU, PT_PCMA];
