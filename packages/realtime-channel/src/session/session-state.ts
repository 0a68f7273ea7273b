import type { ChannelBinding, ToolDefinition, VoiceSession } from "@roomkit/spec";
import type { ChannelResampler } from "../audio/resampler-types.ts";
import type { PlaybackTracker } from "../speech/playback-tracker.ts";
import type { SerialQueue } from "../transcription/serial-queue.ts";
import type { TurnLatencyTracker } from "../metrics/turn-latency.ts";
import type { ToolCallLedger } from "../tools/tool-call-ledger.ts";
import type { SessionConfig, SessionRates } from "./session-config.ts";

export const SessionPhase = { HANDSHAKING: 0, LIVE: 1, ENDING: 2, ENDED: 3 } as const;
export type SessionPhase = (typeof SessionPhase)[keyof typeof SessionPhase];

/**
 * Everything the channel keeps for one session. Optional structures are created on first use so an idle session
 * stays small (the benchmark's memory target is ≤ 4 KB per idle session).
 */
export class SessionState {
  readonly session: VoiceSession;
  phase: SessionPhase = SessionPhase.HANDSHAKING;
  binding: ChannelBinding | undefined;
  config: SessionConfig;
  toolsByName: Map<string, ToolDefinition> | undefined;
  rates: SessionRates;
  inboundResampler: ChannelResampler | undefined;
  outboundResampler: ChannelResampler | undefined;

  // pre-connect buffer (handshake)
  preConnect: Uint8Array[] | undefined;
  preConnectBytes = 0;
  preConnectDropped = 0;

  // inbound: frames waiting while an async provider.sendAudio is pending
  inboundWaiting: Uint8Array[] | undefined;
  inboundBusy = false;

  // outbound: bounded queue of audio chunks and END_OF_RESPONSE markers, each with its generation
  outboundItems: Array<Uint8Array | null | undefined> | undefined;
  outboundGenerations: number[] | undefined;
  outboundBusy = false;
  generation = 0;
  /** The last byte of an odd-length provider chunk, waiting for its other half (-1: none). */
  outboundCarry = -1;

  // speech and responses
  userSpeaking = false;
  responseActive = false;
  forwardedInResponse = 0;
  bargeInPending = false;
  speechStartedAt: Date | undefined;
  lastAssistantText = "";
  playback: PlaybackTracker | undefined;

  // ordered side work
  transcriptions: SerialQueue | undefined;
  transcriptionsDropped = 0;
  hookTail: Promise<void> | undefined;
  /** Session hooks scheduled and not finished (the backlog behind `hookTail`). */
  hooksPending = 0;
  hooksDropped = 0;

  // tools
  toolCalls: ToolCallLedger | undefined;
  toolsRunning = 0;

  // throttles and metrics
  lastInputLevelAt = Number.NEGATIVE_INFINITY;
  lastOutputLevelAt = Number.NEGATIVE_INFINITY;
  turns: TurnLatencyTracker | undefined;
  endPromise: Promise<void> | undefined;

  // start transaction
  startAbort: AbortController | undefined;
  /** The accept/connect/activate call in flight (a provider may ignore the abort signal). */
  startStep: Promise<unknown> | undefined;
  providerTouched = false;
  announced = false;

  constructor(session: VoiceSession, config: SessionConfig, rates: SessionRates) {
    this.session = session;
    this.config = config;
    this.rates = rates;
  }

  get isLive(): boolean {
    return this.phase === SessionPhase.LIVE;
  }
}
