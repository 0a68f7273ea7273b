import { VoiceSessionEndedError } from "../errors/voice-session-ended-error.ts";
import type { Logger } from "../util/logger.ts";
import type { RealtimeUsage, VoiceSessionMetrics } from "./usage.ts";
import { VOICE_SESSION_TRANSITIONS, VoiceSessionState } from "./voice-session-state.ts";

export interface VoiceSessionOptions {
  id: string;
  roomId: string;
  participantId: string;
  channelId: string;
  metadata?: Record<string, unknown>;
  createdAt?: Date;
  logger?: Logger;
}

/** One caller's realtime conversation: shared by the channel, its provider and its transport. */
export class VoiceSession {
  readonly id: string;
  readonly roomId: string;
  readonly participantId: string;
  readonly channelId: string;
  readonly createdAt: Date;
  /** Per-session metadata. A copy of what the caller passed; transports (auth) may add to it. */
  readonly metadata: Record<string, unknown>;
  providerSessionId: string | undefined;
  lastUsage: RealtimeUsage | undefined;
  readonly metrics: VoiceSessionMetrics = {
    turns: [],
    inboundFrames: 0,
    inboundDropped: 0,
    outboundFrames: 0,
    outboundDropped: 0,
    bargeIns: 0,
  };
  #state: VoiceSessionState = VoiceSessionState.CONNECTING;
  readonly #logger: Logger | undefined;

  constructor(options: VoiceSessionOptions) {
    this.id = options.id;
    this.roomId = options.roomId;
    this.participantId = options.participantId;
    this.channelId = options.channelId;
    this.metadata = { ...(options.metadata ?? {}) };
    this.createdAt = options.createdAt ?? new Date();
    this.#logger = options.logger;
  }

  get state(): VoiceSessionState {
    return this.#state;
  }

  /** Moves the state machine. Leaving ENDED throws `VoiceSessionEndedError` (use `renegotiate()`). */
  set state(next: VoiceSessionState) {
    const current = this.#state;
    if (current === next) return;
    if (current === VoiceSessionState.ENDED) {
      throw new VoiceSessionEndedError(`Voice session ${this.id} has ended; cannot move to ${next}`);
    }
    if (!VOICE_SESSION_TRANSITIONS[current].includes(next)) {
      this.#logger?.warn("Unusual voice session state change", { sessionId: this.id, from: current, to: next });
    }
    this.#state = next;
  }

  get isActive(): boolean {
    return this.#state === VoiceSessionState.ACTIVE;
  }

  get isEnded(): boolean {
    return this.#state === VoiceSessionState.ENDED;
  }

  /** The one sanctioned way out of ENDED: back to CONNECTING, for a provider reconnecting the same session. */
  renegotiate(): void {
    this.#state = VoiceSessionState.CONNECTING;
  }
}
