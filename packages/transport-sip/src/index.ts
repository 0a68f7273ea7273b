// Transport and backend
export {
  SIPRealtimeTransport,
  type SIPRealtimeTransportOptions,
  SipRealtimeTransport,
} from "./sip-realtime-transport.ts";
export { type InviteFilter, SipVoiceBackend } from "./backend/sip-voice-backend.ts";
export type { SipBackendStats } from "./backend/backend-stats.ts";
export type { SipVoiceBackendOptions } from "./backend/backend-options.ts";
export { type CallMedia, SipCall, type SipCallInfo, type SipCallState, type SipDialog } from "./backend/sip-call.ts";
export type { DialOptions } from "./backend/outbound-dial.ts";
export { type RegisterOptions, Registration } from "./backend/registration.ts";

// Errors
export {
  SdpNegotiationError,
  SipCallRejectedError,
  SipError,
  SipParseError,
  SipTimeoutError,
} from "./sip/sip-errors.ts";
export {
  answerDigestChallenge,
  computeDigestResponse,
  type DigestAlgorithm,
  type PasswordResolver,
  redactDigest,
} from "./sip/digest.ts";

// Wire-level building blocks (pure functions)
export {
  canonicalHeaderName,
  headerValue,
  headerValues,
  parseSipMessage,
  type SipHeader,
  type SipMessage,
  type SipParseLimits,
  type SipRequest,
  type SipResponse,
  serializeSipMessage,
} from "./sip/sip-message.ts";
export {
  type ByeReason,
  formatQ850Reason,
  type NameAddress,
  parseNameAddress,
  parseQ850Reason,
  parseSipUri,
  parseVia,
  type SipUri,
  type ViaHeader,
} from "./sip/sip-headers.ts";
export { DEFAULT_TIMERS, type TransactionTimers } from "./sip/transactions.ts";
export { answerOffer, buildOffer, type MediaDirection, type NegotiatedMedia } from "./sdp/sdp-negotiation.ts";
export { parseSdp, type SessionDescription, type SdpMedia } from "./sdp/sdp.ts";
export {
  type CodecInfo,
  codecForPayloadType,
  PT_G722,
  PT_PCMA,
  PT_PCMU,
  SUPPORTED_PAYLOAD_TYPES,
} from "./rtp/codecs.ts";
export { parseRtpPacket, type RtpPacket, serializeRtpPacket } from "./rtp/rtp-packet.ts";
export type { RemoteReport, RtpStats } from "./rtp/rtp-session.ts";
