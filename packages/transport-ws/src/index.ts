export {
  type WebSocketAuthContext,
  type WebSocketAuthenticate,
  WebSocketRealtimeTransport,
  type WebSocketRealtimeTransportOptions,
} from "./websocket-realtime-transport.ts";
export {
  type ConnectionListener,
  type SocketSink,
  WebSocketConnection,
  type WebSocketConnectionOptions,
} from "./websocket-connection.ts";
export {
  type BunUpgradeServer,
  type BunWebSocketAdapter,
  type BunWebSocketAdapterOptions,
  type BunWebSocketData,
  createBunWebSocketAdapter,
} from "./adapters/bun-adapter.ts";
export {
  attachWsServer,
  type IncomingRequestLike,
  type WsAdapterOptions,
  type WsLikeServer,
  type WsLikeSocket,
  wrapWsSocket,
} from "./adapters/ws-adapter.ts";
export {
  type AudioFormat,
  type ClientMessage,
  type ParsedClientMessage,
  parseClientMessage,
} from "./protocol.ts";
export { OutboundAudioQueue } from "./outbound-audio-queue.ts";
export type { WebSocketTransportStats } from "./transport-stats.ts";
