import type { ProviderErrorEvent, RealtimeUsage, ToolArguments, TranscriptionRole } from "@roomkit/spec";

/** What one connection reports to its provider (bound to one session by the provider). */
export interface ConnectionEvents {
  audio(pcm: Uint8Array): void;
  transcription(text: string, role: TranscriptionRole, isFinal: boolean, itemId: string | undefined): void;
  speechStart(): void;
  speechEnd(): void;
  toolCall(callId: string, name: string, args: ToolArguments): void;
  responseStart(): void;
  responseEnd(): void;
  usage(usage: RealtimeUsage): void;
  /** `recoverable: false` means the connection is gone for good (after reconnect attempts). */
  error(error: ProviderErrorEvent): void;
  /** The server announced its session id (`sess_...`). */
  serverSession(id: string): void;
}

/** Counters for drops and recoveries; every drop is counted here and logged. */
export interface OpenAIConnectionStats {
  framesSent: number;
  audioDeltasReceived: number;
  invalidFrames: number;
  unknownEvents: number;
  oversizedFrames: number;
  serverErrors: number;
  reconnects: number;
  replayedFrames: number;
  replayDropped: number;
}

export function emptyStats(): OpenAIConnectionStats {
  return {
    framesSent: 0,
    audioDeltasReceived: 0,
    invalidFrames: 0,
    unknownEvents: 0,
    oversizedFrames: 0,
    serverErrors: 0,
    reconnects: 0,
    replayedFrames: 0,
    replayDropped: 0,
  };
}
