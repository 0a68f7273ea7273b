import type { TranscriptionRole } from "../provider/realtime-voice-provider.ts";
import type { ToolArguments } from "../provider/tool-definition.ts";
import type { VoiceSession } from "../session/voice-session.ts";

/** A payload class carries a `kind` tag so fail-closed hooks can check that `modify` kept the payload type. */
export interface RealtimeTranscriptionEvent {
  readonly kind: "realtime_transcription";
  session: VoiceSession;
  text: string;
  role: TranscriptionRole;
  isFinal: boolean;
  wasBargeIn: boolean;
  itemId?: string;
  timestamp: Date;
  /**
   * The seed's (Python) shape, read-only views of the fields above: `content.body` is `text`, `metadata.role` is
   * `role`. A hook that modifies the transcript changes `text` (`HookResult.modify({ ...event, text })`).
   */
  readonly content: { readonly type: "text"; readonly body: string };
  readonly metadata: Readonly<{ role: TranscriptionRole; is_final: boolean; voice_session_id: string }>;
}

export interface PartialTranscriptionEvent {
  readonly kind: "partial_transcription";
  session: VoiceSession;
  text: string;
  role: TranscriptionRole;
  confidence: number;
  isStable: boolean;
  timestamp: Date;
}

/**
 * A provider tool call. `metadata.name` and `metadata.arguments` mirror the seed's hook usage; a hook answers
 * the call by setting `metadata.result` (or returning `{ result }`).
 */
export interface ToolCallEvent {
  readonly kind: "tool_call";
  channelId: string;
  channelType: string;
  toolCallId: string;
  name: string;
  arguments: ToolArguments;
  /** The tool handler's result, when a handler ran first. */
  result: unknown;
  roomId: string;
  session: VoiceSession;
  metadata: Record<string, unknown>;
  timestamp: Date;
}

export interface BargeInEvent {
  readonly kind: "barge_in";
  session: VoiceSession;
  /** The last assistant final transcript. */
  interruptedText: string;
  /** How much of the interrupted reply the caller heard. */
  audioPositionMs: number;
  positionSource: "device" | "client" | "pacer" | "wall_clock" | "none";
  timestamp: Date;
}

export interface AudioLevelEvent {
  readonly kind: "audio_level";
  session: VoiceSession;
  levelDb: number;
  timestamp: Date;
}

export interface SessionStartedEvent {
  readonly kind: "session_started";
  roomId: string;
  channelId: string;
  channelType: string;
  participantId: string;
  session: VoiceSession;
  timestamp: Date;
}

export interface SessionEndedEvent {
  readonly kind: "session_ended";
  roomId: string;
  channelId: string;
  participantId: string;
  session: VoiceSession;
  reason: string;
  timestamp: Date;
}

export interface DtmfEvent {
  readonly kind: "dtmf";
  session: VoiceSession;
  digit: string;
  durationMs?: number;
  timestamp: Date;
}
