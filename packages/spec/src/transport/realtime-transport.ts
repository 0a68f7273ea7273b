import type { InboundAudio } from "../session/audio-frame.ts";
import type { VoiceSession } from "../session/voice-session.ts";
import { CallbackList } from "../util/callback-list.ts";
import { createConsoleLogger, type Logger } from "../util/logger.ts";
import type { ClientControlMessage } from "./client-messages.ts";
import { DEFAULT_TRANSPORT_CAPABILITIES, type RealtimeTransportCapabilities } from "./transport-capabilities.ts";

export interface TransportAcceptOptions {
  signal?: AbortSignal;
}

/** What `accept` may learn about the connection. */
export interface TransportAcceptResult {
  /** The PCM16 rate this connection carries (SIP: from the negotiated codec). The channel resamples to it. */
  sampleRate?: number;
}

/** A block the caller's device actually played (`capabilities.playbackCallback`). */
export interface PlayedAudio {
  /** PCM16 that was played (for output level metering); may be silence. */
  audio: Uint8Array;
  sampleRate: number;
  /** The device has drained everything queued (end of playback). */
  playbackEnded?: boolean;
}

/** How much of the current response the caller has heard (`capabilities.playbackPosition`). */
export interface PlaybackPosition {
  /** Milliseconds of the current response played since the last `interrupt`/response start. */
  playedMs: number;
  source: "client" | "pacer" | "device";
}

export interface DtmfDigit {
  digit: string;
  durationMs?: number;
}

export type TransportAudioCallback = (session: VoiceSession, audio: InboundAudio) => unknown;
export type TransportSessionCallback = (session: VoiceSession) => unknown;

export interface RealtimeTransportOptions {
  logger?: Logger;
}

/**
 * The caller-side connection (browser WebSocket, WebRTC, SIP, local audio). Nothing about the model lives here.
 * Audio is PCM16 LE mono. `sendAudio` must not block the caller; a transport paces or buffers itself.
 */
export abstract class RealtimeTransport {
  abstract readonly name: string;
  readonly capabilities: RealtimeTransportCapabilities = DEFAULT_TRANSPORT_CAPABILITIES;
  readonly specificationVersion = "v1" as const;
  protected logger: Logger;

  protected readonly audioReceivedCallbacks: CallbackList<[VoiceSession, InboundAudio]>;
  protected readonly clientDisconnectedCallbacks: CallbackList<[VoiceSession]>;
  protected readonly audioPlayedCallbacks: CallbackList<[VoiceSession, PlayedAudio]>;
  protected readonly playbackPositionCallbacks: CallbackList<[VoiceSession, PlaybackPosition]>;
  protected readonly dtmfCallbacks: CallbackList<[VoiceSession, DtmfDigit]>;

  constructor(options: RealtimeTransportOptions = {}) {
    this.logger = options.logger ?? createConsoleLogger({ name: "roomkit:transport" });
    const logger = () => this.logger;
    this.audioReceivedCallbacks = new CallbackList("onAudioReceived", logger);
    this.clientDisconnectedCallbacks = new CallbackList("onClientDisconnected", logger);
    this.audioPlayedCallbacks = new CallbackList("onAudioPlayed", logger);
    this.playbackPositionCallbacks = new CallbackList("onPlaybackPosition", logger);
    this.dtmfCallbacks = new CallbackList("onDtmf", logger);
  }

  /** Binds a connection handle (socket, WebRTC id, SIP call) to the session. Throws to refuse it. */
  abstract accept(
    session: VoiceSession,
    connection: unknown,
    options?: TransportAcceptOptions,
  ): Promise<TransportAcceptResult | undefined>;

  /** Called once the provider is connected, always after `provider.connect` (a SIP call is answered here). */
  activate(_session: VoiceSession): Promise<void> {
    return Promise.resolve();
  }

  /** Sends PCM16 to the caller. */
  abstract sendAudio(session: VoiceSession, audio: Uint8Array): void | Promise<void>;

  /** Sends a control message (JSON for WebSocket/DataChannel). Transports without a message path ignore it. */
  sendMessage(_session: VoiceSession, _message: ClientControlMessage): void | Promise<void> {}

  /** Releases the connection of one session. Idempotent. */
  abstract disconnect(session: VoiceSession): Promise<void>;

  /** Barge-in: drop audio queued for the caller now. */
  interrupt(_session: VoiceSession): void {}

  /** The response's audio is complete: flush any tail. */
  endOfResponse(_session: VoiceSession): void {}

  setInputMuted(_session: VoiceSession, _muted: boolean): void | Promise<void> {}

  onAudioReceived(callback: TransportAudioCallback): () => void {
    return this.audioReceivedCallbacks.add(callback);
  }
  onClientDisconnected(callback: TransportSessionCallback): () => void {
    return this.clientDisconnectedCallbacks.add(callback);
  }
  onAudioPlayed(callback: (session: VoiceSession, played: PlayedAudio) => unknown): () => void {
    return this.audioPlayedCallbacks.add(callback);
  }
  onPlaybackPosition(callback: (session: VoiceSession, position: PlaybackPosition) => unknown): () => void {
    return this.playbackPositionCallbacks.add(callback);
  }
  onDtmf(callback: (session: VoiceSession, digit: DtmfDigit) => unknown): () => void {
    return this.dtmfCallbacks.add(callback);
  }

  protected fireAudioReceived(session: VoiceSession, audio: InboundAudio): Promise<void> | undefined {
    return this.audioReceivedCallbacks.fire(session, audio);
  }
  protected fireClientDisconnected(session: VoiceSession): Promise<void> | undefined {
    return this.clientDisconnectedCallbacks.fire(session);
  }
  protected fireAudioPlayed(session: VoiceSession, played: PlayedAudio): Promise<void> | undefined {
    return this.audioPlayedCallbacks.fire(session, played);
  }
  protected firePlaybackPosition(session: VoiceSession, position: PlaybackPosition): Promise<void> | undefined {
    return this.playbackPositionCallbacks.fire(session, position);
  }
  protected fireDtmf(session: VoiceSession, digit: DtmfDigit): Promise<void> | undefined {
    return this.dtmfCallbacks.fire(session, digit);
  }

  /** Releases everything. Idempotent. */
  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** The seed's name for the caller-side transport contract. */
export { RealtimeTransport as VoiceBackend };
