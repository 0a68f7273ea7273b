import {
  type Clock,
  InvalidArgumentError,
  type Logger,
  type RealtimeTransport,
  type RealtimeVoiceProvider,
  type ToolArguments,
  type ToolDefinition,
  type VoiceSession,
} from "@roomkit/spec";

/** The seed's tool handler: `async (session, name, args) => result`. Strings are sent as-is, anything else as JSON. */
/** What a tool handler gets besides the call: `signal` aborts when the provider cancels the call or the session ends. */
export interface ToolCallContext {
  callId: string;
  signal: AbortSignal;
}

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

/** A positive integer, else `InvalidArgumentError` naming the field. */
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

export function resolveChannelOptions(options: RealtimeVoiceChannelOptions): ResolvedChannelOptions {
  if (!options || typeof options !== "object") throw new InvalidArgumentError("options are required");
  if (!options.provider) throw new InvalidArgumentError("provider is required");
  if (!options.transport) throw new InvalidArgumentError("transport is required");
  if (options.toolHandler !== undefined && typeof options.toolHandler !== "function") {
    throw new InvalidArgumentError("toolHandler must be a function");
  }
  if (
    options.temperature !== undefined &&
    (typeof options.temperature !== "number" || !Number.isFinite(options.temperature))
  ) {
    throw new InvalidArgumentError("temperature must be a finite number");
  }
  return {
    inputSampleRate: requireSampleRate("inputSampleRate", options.inputSampleRate ?? 16_000),
    outputSampleRate: requireSampleRate("outputSampleRate", options.outputSampleRate ?? 24_000),
    transportSampleRate:
      options.transportSampleRate === undefined || options.transportSampleRate === null
        ? undefined
        : requireSampleRate("transportSampleRate", options.transportSampleRate),
    emitTranscriptionEvents: options.emitTranscriptionEvents ?? true,
    muteOnToolCall: options.muteOnToolCall ?? false,
    toolResultMaxLength: requirePositiveInteger("toolResultMaxLength", options.toolResultMaxLength ?? 16_384),
    toolTimeoutMs: requirePositiveInteger("toolTimeoutMs", options.toolTimeoutMs ?? 30_000),
    maxOutboundQueue: requirePositiveInteger("maxOutboundQueue", options.maxOutboundQueue ?? 500),
    maxPreConnectBytes: requirePositiveInteger("maxPreConnectBytes", options.maxPreConnectBytes ?? 1_048_576),
    maxInboundFrameBytes: requirePositiveInteger("maxInboundFrameBytes", options.maxInboundFrameBytes ?? 262_144),
    levelIntervalMs: requirePositiveInteger("levelIntervalMs", options.levelIntervalMs ?? 100),
    disconnectTimeoutMs: requirePositiveInteger("disconnectTimeoutMs", options.disconnectTimeoutMs ?? 5000),
  };
}
