import type { Clock } from "@roomkit/spec";
import type { ConversationItem, RealtimeServerEvent } from "openai/resources/realtime/realtime";

export type { ConversationItem, RealtimeServerEvent };

/** Output pacing: a multiple of real time (default 4, as the real server runs ahead), or `"instant"`. */
export type FakeSpeed = number | "instant";

/** What the brain is asked to answer. */
export interface FakeUserTurn {
  /** `text`: a typed user message; `audio`: a committed audio turn; `tool_result`: a function output; `none`. */
  kind: "text" | "audio" | "tool_result" | "none";
  /** The user's text, or the queued transcript of an audio turn (undefined when none was queued). */
  text: string | undefined;
  audioMs: number;
  /** RMS of the turn's audio, 0..1. */
  rms: number;
  /** The turn's audio as PCM16 at `sampleRate` (audio turns only). */
  audio: Uint8Array | undefined;
  sampleRate: number;
  toolName: string | undefined;
  toolOutput: string | undefined;
  tools: readonly { name: string }[];
  instructions: string;
  conversation: readonly ConversationItem[];
}

export type FakeReply =
  /** Speak `say` (a tone of `max(200, 60 × chars)` ms), or `audio` (PCM16 at `sampleRate`, default 24 kHz). */
  | { say: string; audio?: Uint8Array; sampleRate?: number; audioMs?: number }
  | { callTool: { name: string; args: unknown; say?: string } }
  | { silence: true };

export type FakeBrain = (turn: FakeUserTurn) => FakeReply;

export interface OpenAIRealtimeFakeOptions {
  /** `"default"` (protocols.md E rules), `"echo"` (replays the caller's utterance), or a function. */
  brain?: FakeBrain | "default" | "echo";
  /** Transcripts for the next audio turns, in order. */
  transcripts?: string[];
  speed?: FakeSpeed;
  /** Output audio chunk length (default 100 ms). */
  chunkMs?: number;
  /** Delay before input transcription events (default 5 ms). */
  transcriptionDelayMs?: number;
  /** Session lifetime (default 60 minutes); at expiry: error `session_expired`, then close 1001. */
  maxSessionMs?: number;
  /**
   * How much shorter the server's assistant audio item is than the audio it streamed (default 85 ms, as observed on
   * the service): a `conversation.item.truncate` past the item's own length is rejected ("already shorter than").
   */
  itemAudioShortfallMs?: number;
  clock?: Clock;
  /** Answer beta-shape clients with `beta_api_shape_disabled` (default true, as the real API since May 2026). */
  betaRetired?: boolean;
  /** Silence before `semantic_vad` ends a turn, per eagerness (defaults low 800, medium/auto 500, high 250 ms). */
  semanticSilenceMs?: { low?: number; medium?: number; high?: number };
  /** Accept this key? Default: any non-empty key. Rejected keys get HTTP 401. */
  isValidKey?: (key: string) => boolean;
  /** Tone level of synthetic speech (default −12 dBFS). */
  toneDbfs?: number;
  /** Keep each connection's appended audio (and append events) for assertions (default true). */
  recordAudio?: boolean;
  /** Recorded events kept per list (received, sent); beyond it the oldest half is dropped. Default 50 000. */
  maxRecordedEvents?: number;
  /** Serve `wss://` with this certificate (PEM), for clients that force TLS (the `openai` SDK's `OpenAIRealtimeWS`). */
  tls?: { cert: string; key: string };
  /** Largest client frame accepted (default 20 MiB; bigger frames close the socket with 1009). */
  maxPayloadBytes?: number;
}

export interface ReceivedClientEvent {
  connectionId: number;
  at: number;
  /** The parsed client event (or `{ type: "<invalid json>", text }`). */
  event: { type: string; [key: string]: unknown };
}

export interface SentServerEvent {
  connectionId: number;
  at: number;
  event: RealtimeServerEvent | { type: string; [key: string]: unknown };
}

export interface FakeConnectionInfo {
  readonly id: number;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The API key seen (Bearer header or subprotocol). */
  readonly apiKey: string;
  /** Selected subprotocol ("realtime" when offered). */
  readonly protocol: string | undefined;
  readonly shape: "ga" | "beta";
  readonly received: ReceivedClientEvent[];
  readonly sent: SentServerEvent[];
  /** Wire bytes of every `input_audio_buffer.append`, in order (when `recordAudio`). */
  readonly appendedAudio: Uint8Array[];
  appendCount: number;
  appendedBytes: number;
  closed: boolean;
  closeCode: number | undefined;
}
