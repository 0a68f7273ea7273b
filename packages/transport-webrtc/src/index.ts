export { toNodeListener, type NodeListener } from "./adapters/node-listener.ts";
export {
  OPUS_NATIVE_RATES,
  type OpusCodecFactory,
  type OpusDecoder,
  type OpusEncoder,
  opusscriptCodec,
} from "./codecs/opus-codec.ts";
export {
  type ClientConnectedCallback,
  FastRTCRealtimeTransport,
  type FastRTCRealtimeTransportOptions,
  type IceServer,
} from "./fastrtc-realtime-transport.ts";
export { type FastRTCMountTarget, mountFastRTCRealtime } from "./mount.ts";
export type { FastRTCPeer, PeerCloseReason, PeerCounters, PeerState } from "./peer/fastrtc-peer.ts";
export type { AudioCodecName } from "./peer/inbound-audio.ts";
export { mediaMessages, type OutboundAudioMode } from "./peer/outbound-audio.ts";
export {
  createFastRTCOfferHandler,
  type FastRTCAuth,
  type FastRTCAuthContext,
  type FastRTCOfferHandler,
  type FastRTCOfferHandlerOptions,
} from "./signalling/offer-handler.ts";
export type { FastRTCTransportStats } from "./transport-stats.ts";
