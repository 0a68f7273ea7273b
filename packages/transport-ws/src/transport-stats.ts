/** Counters of one WebSocket transport (all sessions). Every drop is counted here. */
export interface WebSocketTransportStats {
  sessionsAccepted: number;
  authenticationRejected: number;
  framesReceived: number;
  audioFramesReceived: number;
  /** Inbound frames above `maxFrameBytes`, dropped before decoding. */
  oversizedFramesDropped: number;
  invalidJson: number;
  invalidMessages: number;
  unknownTypes: number;
  /** Inbound audio with an odd byte count (not PCM16), dropped. */
  invalidAudioDropped: number;
  /** Messages received before the session was accepted and dropped (pending buffer full). */
  pendingDropped: number;
  /** Caller audio dropped while `setInputMuted(true)`. */
  inputMutedDropped: number;
  playbackReports: number;
  audioFramesSent: number;
  messagesSent: number;
  /** Outbound audio dropped oldest-first because the client reads too slowly (backpressure). */
  outboundAudioDropped: number;
  /** Outbound audio discarded from the backpressure queue by `clear_audio`/`interrupt` (stale, not a loss). */
  outboundAudioCleared: number;
  sendErrors: number;
  clientDisconnects: number;
}

export function createTransportStats(): WebSocketTransportStats {
  return {
    sessionsAccepted: 0,
    authenticationRejected: 0,
    framesReceived: 0,
    audioFramesReceived: 0,
    oversizedFramesDropped: 0,
    invalidJson: 0,
    invalidMessages: 0,
    unknownTypes: 0,
    invalidAudioDropped: 0,
    pendingDropped: 0,
    inputMutedDropped: 0,
    playbackReports: 0,
    audioFramesSent: 0,
    messagesSent: 0,
    outboundAudioDropped: 0,
    outboundAudioCleared: 0,
    sendErrors: 0,
    clientDisconnects: 0,
  };
}
