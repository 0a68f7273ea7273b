import {
  type Clock,
  isLogger,
  type Logger,
  parseOptions,
  RealtimeTransport,
  type RealtimeTransportCapabilities,
  systemClock,
  type TransportAcceptOptions,
  type TransportAcceptResult,
  TransportError,
  type VoiceSession,
} from "@roomkit/spec";
import { z } from "zod";
import { SipCall } from "./backend/sip-call.ts";
import { SipVoiceBackend } from "./backend/sip-voice-backend.ts";

export interface SIPRealtimeTransportOptions {
  /** The started (or to be started) SIP backend whose calls this transport carries. */
  backend: SipVoiceBackend;
  /** `disconnect(session)` hangs the call up (BYE, or 480 while ringing). Default true. */
  hangupOnDisconnect?: boolean;
  clock?: Clock;
  logger?: Logger;
}

interface Entry {
  session: VoiceSession;
  call: SipCall;
  unsubscribe: Array<() => void>;
  /** When the current response's first audio went out (pacer clock), for the heard position. */
  responseStartedAt: number | undefined;
}

const optionsSchema = z.object({
  backend: z.custom<SipVoiceBackend>((value) => value instanceof SipVoiceBackend, {
    message: "expected a SipVoiceBackend",
  }),
  hangupOnDisconnect: z.boolean().optional(),
  clock: z.custom<Clock>((value) => typeof (value as Clock | undefined)?.now === "function").optional(),
  logger: z.custom<Logger>(isLogger, { message: "expected a Logger" }).optional(),
});

/**
 * SIP calls as a realtime transport. `accept(session, call)` binds a `SipCall` from `SipVoiceBackend.onCall`; the
 * negotiated codec's rate (8 kHz G.711, 16 kHz G.722) is returned so the channel resamples. Outbound audio goes
 * through the call's `OutboundAudioPacer` (~80 ms pre-buffer), `interrupt` drops what is queued, and the pacer's
 * sent position is reported as the playback position so a barge-in truncates at what the caller heard.
 */
export class SIPRealtimeTransport extends RealtimeTransport {
  readonly name = "SIPRealtimeTransport";
  override readonly capabilities: RealtimeTransportCapabilities = {
    playbackCallback: false,
    playbackPosition: true,
    interrupt: true,
    inputMute: false,
    dtmf: true,
  };
  readonly backend: SipVoiceBackend;
  private readonly hangupOnDisconnect: boolean;
  private readonly clock: Clock;
  private readonly entries = new Map<string, Entry>();

  constructor(options: SIPRealtimeTransportOptions) {
    const parsed = parseOptions("SIPRealtimeTransport", optionsSchema, options, {
      backend: "new SipVoiceBackend({...})",
    });
    super({ logger: parsed.logger ?? parsed.backend.logger });
    this.backend = parsed.backend;
    this.hangupOnDisconnect = parsed.hangupOnDisconnect ?? true;
    this.clock = parsed.clock ?? systemClock;
  }

  /** The call bound to a session. */
  callOf(session: VoiceSession): SipCall | undefined {
    return this.entries.get(session.id)?.call;
  }

  override async accept(
    session: VoiceSession,
    connection: unknown,
    options: TransportAcceptOptions = {},
  ): Promise<TransportAcceptResult> {
    options.signal?.throwIfAborted();
    if (!(connection instanceof SipCall)) {
      throw new TransportError({
        message: "SIPRealtimeTransport.accept: the connection must be a SipCall from onCall",
      });
    }
    const call = connection;
    if (call.state === "ended") throw new TransportError({ message: `SIP call ${call.callId} has already ended` });
    if (this.entries.has(session.id)) return { sampleRate: call.sampleRate };
    const entry: Entry = { session, call, unsubscribe: [], responseStartedAt: undefined };
    this.entries.set(session.id, entry);
    session.metadata.transport_sample_rate = call.sampleRate;
    session.metadata.sip = {
      ...call.info,
      codec: call.media.codec.name,
      codecSampleRate: call.sampleRate,
      dtmfPayloadType: call.media.dtmfPayloadType,
    };
    entry.unsubscribe.push(
      call.onAudio((pcm) => this.fireAudioReceived(session, pcm)),
      call.onDtmf((digit, durationMs) => this.fireDtmf(session, { digit, durationMs })),
      call.onAudioSent((pcm) => this.reportPosition(entry, pcm)),
      call.onEnded(() => {
        if (this.entries.get(session.id) !== entry) return;
        this.unmap(entry);
        if (call.byeReason) session.metadata.bye_reason = call.byeReason;
        void this.fireClientDisconnected(session);
      }),
    );
    return { sampleRate: call.sampleRate };
  }

  /** Answers a call still ringing (the backend's `preWarm` mode): the provider is connected by now. */
  override async activate(session: VoiceSession): Promise<void> {
    const entry = this.entries.get(session.id);
    if (!entry) return;
    if (entry.call.state === "ended") throw new TransportError({ message: `SIP call ${entry.call.callId} has ended` });
    entry.call.answer();
  }

  override sendAudio(session: VoiceSession, audio: Uint8Array): void {
    this.entries.get(session.id)?.call.sendAudio(audio);
  }

  override interrupt(session: VoiceSession): void {
    const entry = this.entries.get(session.id);
    if (!entry) return;
    entry.call.cancelAudio();
    entry.responseStartedAt = undefined;
  }

  override endOfResponse(session: VoiceSession): void {
    this.entries.get(session.id)?.call.endOfResponse();
  }

  override async disconnect(session: VoiceSession): Promise<void> {
    const entry = this.entries.get(session.id);
    if (!entry) return;
    this.unmap(entry);
    if (this.hangupOnDisconnect) await entry.call.hangup({ cause: 16 });
  }

  override async close(): Promise<void> {
    await Promise.allSettled([...this.entries.values()].map((entry) => this.disconnect(entry.session)));
  }

  private unmap(entry: Entry): void {
    this.entries.delete(entry.session.id);
    for (const unsubscribe of entry.unsubscribe) unsubscribe();
    entry.unsubscribe = [];
  }

  /**
   * What the caller has heard of the current response: the pacer's sent audio, but no more than the wall-clock time
   * since the response's first audio went out (the pre-buffer burst is sent at once, heard over 80 ms).
   */
  private reportPosition(entry: Entry, pcm: Uint8Array): void {
    const call = entry.call;
    const now = this.clock.now();
    const chunkMs = (pcm.byteLength * 500) / call.sampleRate;
    const sentMs = call.pacer.responseSentMs;
    if (entry.responseStartedAt === undefined || sentMs <= chunkMs + 0.001) entry.responseStartedAt = now;
    const playedMs = Math.max(0, Math.min(sentMs, now - entry.responseStartedAt));
    void this.firePlaybackPosition(entry.session, { playedMs, source: "pacer" });
  }
}

/** The same class under the TypeScript naming of the rest of the package. */
export { SIPRealtimeTransport as SipRealtimeTransport };
