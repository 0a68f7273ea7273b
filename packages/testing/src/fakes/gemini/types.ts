import type { LiveClientMessage, LiveClientSetup, LiveServerMessage } from "@google/genai";
import type { Clock } from "@roomkit/spec";

/** A server message as it travels on the wire: `LiveServerMessage` without its convenience getters. */
export type GeminiServerMessage = Omit<LiveServerMessage, "text" | "data">;
/** A client message as parsed from the wire. */
export type GeminiClientMessage = LiveClientMessage;
export type GeminiSetup = LiveClientSetup;

export type GeminiApiVersion = "v1alpha" | "v1beta";
export type GeminiModelProfile = "2.5" | "3.1" | "3.8";

/** A user turn, as the fake's brain sees it. */
export interface FakeUserTurn {
  kind: "audio" | "text";
  /** The text (text turns) or the transcript taken from the transcript queue (audio turns). */
  text: string;
  /** Audio turns: speech duration in milliseconds and its RMS level (0..1 of full scale). */
  durationMs?: number;
  rms?: number;
  /** Names of the declared function tools. */
  toolNames: readonly string[];
  history: readonly FakeHistoryEntry[];
}

export type FakeReply =
  | { say: string }
  | { callTool: { name: string; args?: Record<string, unknown> } }
  | { silence: true };

export type FakeBrain = (turn: FakeUserTurn) => FakeReply;

export interface FakeHistoryEntry {
  role: "user" | "model" | "tool";
  text: string;
}

export interface GeminiLiveFakeOptions {
  /** Accepted model ids (without `models/`). Default: the current Developer-API live models. */
  models?: readonly string[];
  /** Key check; default: any non-empty key. */
  isValidKey?: (key: string) => boolean;
  invalidKeyReason?: string;
  /** Send server messages as text frames (default: binary, like the real server). */
  textFrames?: boolean;
  /** Model profile; default derived from the model name (`gemini-3.1*` → 3.1, `gemini-3.8*` → 3.8, else 2.5). */
  modelProfile?: GeminiModelProfile;
  /** Audio pacing: 0 = instant (default), 1 = real time, N = N× faster than real time. */
  pace?: number;
  /** Output audio chunk duration, 40–100 ms (default 40). */
  chunkMs?: number;
  /** Wait between `generationComplete` and `turnComplete` (default: the audio duration ÷ pace, 0 when instant). */
  playbackGraceMs?: number;
  /** Delay before `setupComplete` (default 0). */
  setupDelayMs?: number;
  /** Include a `sessionId` in `setupComplete`. */
  sessionIdInSetupComplete?: boolean;
  /** Connection lifetime (default 10 min); `goAway` is sent `goAwayLeadMs` (default 60 s) before the end. */
  connectionLifetimeMs?: number;
  goAwayLeadMs?: number;
  /** Close code at the end of the lifetime (default 1000). */
  lifetimeCloseCode?: number;
  /** Session limit without context-window compression (default 15 min; 2 min after video); close 1011. */
  sessionLimitMs?: number;
  /** Resumption handle time to live (default 2 h). */
  resumptionTtlMs?: number;
  /** Decides the reply to each user turn (default: tool marker / tool name / echo). */
  brain?: FakeBrain;
  /**
   * Transcripts for audio turns, consumed in order; when empty the caller's transcription is `[N ms of audio]` (the
   * brain then sees an empty text and answers "I heard N ms of audio").
   */
  transcripts?: string[];
  /** What to do on activityStart/End with automatic VAD, or audioStreamEnd with manual VAD (default close 1007). */
  manualVadMisuse?: "close" | "ignore";
  /**
   * Close code when a setup's resumption handle is unknown or expired: 1008 "Requested entity was not found." (the
   * default) or 1007 "Request contains an invalid argument."; the service has been seen sending both.
   */
  refusedHandleCloseCode?: 1007 | 1008;
  /**
   * A resume while an earlier connection of the same session is still open: `reject` (default) closes the new one
   * with 1011, as the service has been reported to do; `accept` lets the new connection take the session over.
   */
  overlappingResume?: "reject" | "accept";
  /** Close code for a bad tool response (default 1008). */
  badToolResponseCloseCode?: 1007 | 1008;
  /**
   * When the rest of an audio turn's input transcription arrives: `never` before the reply; `always` after the
   * reply's first audio (as the service often does); `sometimes` (default) after it on every second audio turn
   * (the 2nd, 4th…), before it on the others.
   */
  lateInputTranscription?: "never" | "sometimes" | "always";
  /** Send `voiceActivity` ACTIVITY_START/END messages (newer servers) at speech start and end (default false). */
  voiceActivityEvents?: boolean;
  /** Output tone level in dBFS (default −12). */
  toneDbfs?: number;
  clock?: Clock;
}

export interface ReceivedClientMessage {
  at: number;
  connectionId: number;
  message: GeminiClientMessage;
}

export interface FakeConnectionInfo {
  readonly id: number;
  readonly apiVersion: GeminiApiVersion;
  readonly method: string;
  readonly key: string;
  readonly path: string;
  readonly headers: Record<string, string | string[] | undefined>;
  setup: GeminiSetup | undefined;
  conversationId: number | undefined;
  resumedFrom: string | undefined;
  closed: boolean;
  closeCode: number | undefined;
  closeReason: string | undefined;
  /** Realtime audio messages and bytes received on this connection. */
  audioMessages: number;
  audioBytes: number;
  /**
   * With manual VAD: audio messages received outside `activityStart`…`activityEnd`. The service documents audio
   * between the two only; such audio belongs to no turn (the fake ignores it and counts it here).
   */
  audioOutsideActivity: number;
  sentMessages: GeminiServerMessage[];
}

export interface FakeConversationInfo {
  readonly id: number;
  readonly history: FakeHistoryEntry[];
  /** Audio received over every connection of this conversation. */
  audioMessages: number;
  audioBytes: number;
  connections: number[];
  readonly startedAt: number;
}
