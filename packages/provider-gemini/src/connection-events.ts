import type { ProviderErrorEvent, RealtimeUsage, ToolArguments, TranscriptionRole } from "@roomkit/spec";

/** What a Gemini connection reports; the provider binds these to its `fire*` helpers for one VoiceSession. */
export interface ConnectionEvents {
  audio(pcm: Uint8Array): void;
  transcription(text: string, role: TranscriptionRole, isFinal: boolean): void;
  speechStart(): void;
  speechEnd(): void;
  toolCall(callId: string, name: string, args: ToolArguments): void;
  toolCallCancel(callIds: readonly string[]): void;
  responseStart(): void;
  responseEnd(): void;
  error(error: ProviderErrorEvent): void;
  usage(usage: RealtimeUsage): void;
}

/** Counters a session keeps (exposed through `GeminiLiveProvider.sessionStats`). */
export interface GeminiSessionStats {
  /** Connections opened after the first (goAway, unexpected close, reconfigure, send failure). */
  reconnects: number;
  /** Duration of the last reconnect, from its trigger to the new connection accepting audio (ms). */
  lastReconnectMs: number | undefined;
  audioFramesSent: number;
  /** Frames held during (re)connects and replayed afterwards. */
  audioFramesBuffered: number;
  /** Frames evicted from a full reconnect buffer. */
  audioFramesDropped: number;
  /** Frames the old connection received after the latest resumable handle, sent again to the resumed session. */
  audioFramesReplayed: number;
  /** Frames that fell out of the replay window (more than its capacity since the last handle). */
  replayWindowOverflows: number;
  turns: number;
  toolCalls: number;
  toolCallsCancelled: number;
  /** Results dropped because their call was cancelled or belonged to an earlier connection. */
  staleToolResults: number;
  toolResultBytes: number;
  /** Server messages dropped: not JSON, or a shape the handler could not process (logged). */
  invalidMessages: number;
}

export function createSessionStats(): GeminiSessionStats {
  return {
    reconnects: 0,
    lastReconnectMs: undefined,
    audioFramesSent: 0,
    audioFramesBuffered: 0,
    audioFramesDropped: 0,
    audioFramesReplayed: 0,
    replayWindowOverflows: 0,
    turns: 0,
    toolCalls: 0,
    toolCallsCancelled: 0,
    staleToolResults: 0,
    toolResultBytes: 0,
    invalidMessages: 0,
  };
}
