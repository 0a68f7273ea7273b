import type { PeerCloseReason } from "./peer/fastrtc-peer.ts";

/** Counters of a `FastRTCRealtimeTransport` (what was dropped is counted here, never thrown). */
export interface FastRTCTransportStats {
  peersOpened: number;
  peersStarted: number;
  peersClosed: number;
  closeReasons: Partial<Record<PeerCloseReason, number>>;
  sessionsAccepted: number;
  clientDisconnects: number;
  audioFramesReceived: number;
  /** Decoded caller audio that arrived before `accept` bound a session (dropped, as in RoomKit). */
  audioBeforeAccept: number;
  inputMutedDropped: number;
  messagesSent: number;
  /** Control messages not sent because the DataChannel was not open. */
  messagesDropped: number;
  /** Client `playback` messages whose position was not a number >= 0. */
  invalidClientMessages: number;
}

export function createTransportStats(): FastRTCTransportStats {
  return {
    peersOpened: 0,
    peersStarted: 0,
    peersClosed: 0,
    closeReasons: {},
    sessionsAccepted: 0,
    clientDisconnects: 0,
    audioFramesReceived: 0,
    audioBeforeAccept: 0,
    inputMutedDropped: 0,
    messagesSent: 0,
    messagesDropped: 0,
    invalidClientMessages: 0,
  };
}
