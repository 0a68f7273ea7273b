import type { RealtimeUsage } from "@roomkit/spec";

/** A tool call as the server asks for it (`id` may be missing: such a call cannot be answered). */
export interface GeminiToolCall {
  id: string | undefined;
  name: string;
  args: Record<string, unknown>;
}

/**
 * What one Gemini Live server message means, as typed events in the order the provider must act on them
 * (hyphenated names, like the OpenAI provider's). One message can carry several (3.x models put audio, transcript,
 * usage and turnComplete in one).
 */
export type GeminiServerEvent =
  | { type: "setup-complete"; sessionId: string | undefined }
  | { type: "resumption-update"; handle: string; resumable: boolean }
  | { type: "voice-activity"; kind: "start" | "end" }
  | { type: "input-transcription"; text: string; finished: boolean }
  /** The model produced output (audio, text or an output transcription) in this message. */
  | { type: "model-output" }
  | { type: "output-transcription"; text: string; finished: boolean }
  /** Base64 PCM16 24 kHz audio, one event per inline-data part. */
  | { type: "audio"; data: string; mimeType: string }
  | { type: "text"; text: string }
  | { type: "tool-call"; calls: readonly GeminiToolCall[] }
  | { type: "tool-call-cancellation"; ids: readonly string[] }
  | { type: "usage"; usage: RealtimeUsage }
  | { type: "interrupted" }
  | { type: "generation-complete" }
  | { type: "turn-complete"; reason: string | undefined }
  | { type: "go-away"; timeLeftMs: number | undefined };

export type GeminiServerEventType = GeminiServerEvent["type"];
