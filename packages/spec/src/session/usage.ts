/** Token usage reported by a provider for one response. */
export interface RealtimeUsage {
  inputTokens: number;
  outputTokens: number;
  details?: Record<string, unknown>;
}

/** Per-turn latency measured by the channel (see realtime-channel `metrics/`). */
export interface TurnLatency {
  /** What started the turn. */
  trigger: "speech_end" | "text_injected" | "tool_result";
  /** Time from the trigger to the provider's first audio byte reaching the channel. */
  providerMs: number;
  /** Time from that byte reaching the channel to it being handed to the transport. */
  frameworkMs: number;
  /** providerMs + frameworkMs. */
  totalMs: number;
  at: number;
}

export interface VoiceSessionMetrics {
  turns: TurnLatency[];
  inboundFrames: number;
  inboundDropped: number;
  outboundFrames: number;
  outboundDropped: number;
  bargeIns: number;
}
