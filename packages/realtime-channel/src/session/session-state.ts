import type { ChannelBinding, VoiceSession } from "@roomkit/spec";
import { InboundState } from "../audio/inbound-state.ts";
import { OutboundState } from "../audio/outbound-state.ts";
import type { HookState } from "../hooks/hook-state.ts";
import type { TurnLatencyTracker } from "../metrics/turn-latency-tracker.ts";
import { SpeechState } from "../speech/speech-state.ts";
import type { ToolState } from "../tools/tool-state.ts";
import type { TranscriptionState } from "../transcription/transcription-state.ts";
import { LifecycleState, SessionPhase } from "./lifecycle-state.ts";
import type { SessionConfig, SessionRates } from "./session-config.ts";

/**
 * One session: what it is connected with, and each concern's own state side by side. Every concern's state type
 * is defined by that concern's module; the rarely used ones (hooks, tools, transcriptions, turn latency) are created
 * on first use so an idle session stays small (the benchmark's target is ≤ 4 KB per idle session).
 */
export class SessionState {
  readonly session: VoiceSession;
  binding: ChannelBinding | undefined;
  config: SessionConfig;
  rates: SessionRates;
  readonly lifecycle = new LifecycleState();
  readonly inbound = new InboundState();
  readonly outbound = new OutboundState();
  readonly speech = new SpeechState();
  hooks: HookState | undefined;
  tools: ToolState | undefined;
  transcription: TranscriptionState | undefined;
  turns: TurnLatencyTracker | undefined;

  constructor(session: VoiceSession, config: SessionConfig, rates: SessionRates) {
    this.session = session;
    this.config = config;
    this.rates = rates;
  }

  get phase(): SessionPhase {
    return this.lifecycle.phase;
  }

  get isLive(): boolean {
    return this.lifecycle.phase === SessionPhase.LIVE;
  }
}
