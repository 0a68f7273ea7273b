import {
  type Clock,
  InvalidArgumentError,
  parseOptions,
  type Logger,
  type RealtimeTransport,
  type RealtimeVoiceProvider,
  type ToolArguments,
  type ToolDefinition,
  type VoiceSession,
} from "@roomkit/spec";
import { CHANNEL_OPTION_HINTS, channelOptionsSchema } from "./options-schema.ts";

/** What a tool handler gets besides the call: `signal` aborts when the provider cancels the call or the session ends. */
export interface ToolCallContext {
  callId: string;
  signal: AbortSignal;
}

/** The seed's tool handler: `async (session, name, args) => result`. Strings are sent as-is, anything else as JSON. */
export type ToolHandler = (
  session: VoiceSession,
  name: string,
  args: ToolArguments,
  context: ToolCallContext,
) => unknown;

export interface RealtimeVoiceChannelOptions {
  provider: RealtimeVoiceProvider;
  transport: RealtimeTransport;
  systemPrompt?: string;
  voice?: string;
  tools?: readonly ToolDefinition[];
  temperature?: number;
  /** Rate of the caller's audio and the rate asked of the provider (resampled to one it accepts). Default 16000. */
  inputSampleRate?: number;
  /** Rate asked of the provider for its audio. Default 24000. */
  outputSampleRate?: number;
  /** Rate of the transport's audio, both directions; the channel resamples when it differs. */
  transportSampleRate?: number;
  /** Store final transcriptions as room events. Default true. */
  emitTranscriptionEvents?: boolean;
  toolHandler?: ToolHandler;
  /** `transport.setInputMuted(true)` while a tool runs. Default false. */
  muteOnToolCall?: boolean;
  /** Tool results longer than this are cut to exactly this length, with a notice. Default 16384. */
  toolResultMaxLength?: number;
  /** A tool handler that takes longer gets an error result. Default 30 000 ms. */
  toolTimeoutMs?: number;
  providerConfig?: Record<string, unknown>;
  /** Outbound audio items queued per session before the newest is dropped. Default 500. */
  maxOutboundQueue?: number;
  /** Caller audio buffered while the provider connects. Default 1 MiB. */
  maxPreConnectBytes?: number;
  /** Larger inbound frames are dropped. Default 256 KiB. */
  maxInboundFrameBytes?: number;
  /** Each teardown step (session_ended message, provider and transport disconnect) waits at most this long. Default 5000 ms. */
  disconnectTimeoutMs?: number;
  /** Minimum interval between audio level hooks, per session and direction. Default 100 ms. */
  levelIntervalMs?: number;
  logger?: Logger;
  clock?: Clock;
}

export interface ResolvedChannelOptions {
  inputSampleRate: number;
  outputSampleRate: number;
  transportSampleRate: number | undefined;
  emitTranscriptionEvents: boolean;
  muteOnToolCall: boolean;
  toolResultMaxLength: number;
  toolTimeoutMs: number;
  maxOutboundQueue: number;
  maxPreConnectBytes: number;
  maxInboundFrameBytes: number;
  levelIntervalMs: number;
  disconnectTimeoutMs: number;
}

/** A positive integer, else `InvalidArgumentError` naming the field (values learned at runtime, e.g. `accept()`). */
export function requirePositiveInteger(name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value <= 0) {
    throw new InvalidArgumentError(`${name} must be a positive integer, got ${JSON.stringify(value) ?? String(value)}`);
  }
  return value;
}

/** A sample rate: an integer in 1..192000. */
export function requireSampleRate(name: string, value: unknown): number {
  const rate = requirePositiveInteger(name, value);
  if (rate > 192_000) throw new InvalidArgumentError(`${name} must be at most 192000, got ${rate}`);
  return rate;
}

/**
 * Validates the constructor's options through `parseOptions` (zod 4 schema): a bad field throws
 * `RoomKitConfigError` naming the field and the accepted values.
 */
export function resolveChannelOptions(options: RealtimeVoiceChannelOptions): ResolvedChannelOptions {
  const parsed = parseOptions("RealtimeVoiceChannel", channelOptionsSchema, options, CHANNEL_OPTION_HINTS);
  return {
    inputSampleRate: parsed.inputSampleRate,
    outputSampleRate: parsed.outputSampleRate,
    transportSampleRate: parsed.transportSampleRate ?? undefined,
    emitTranscriptionEvents: parsed.emitTranscriptionEvents,
    muteOnToolCall: parsed.muteOnToolCall,
    toolResultMaxLength: parsed.toolResultMaxLength,
    toolTimeoutMs: parsed.toolTimeoutMs,
    maxOutboundQueue: parsed.maxOutboundQueue,
    maxPreConnectBytes: parsed.maxPreConnectBytes,
    maxInboundFrameBytes: parsed.maxInboundFrameBytes,
    levelIntervalMs: parsed.levelIntervalMs,
    disconnectTimeoutMs: parsed.disconnectTimeoutMs,
  };
}
