import type { RealtimeTransport } from "@roomkit/spec";

/** What the client side of one connection holds so far (`TransportContractSubject.receivedByClient`). */
export interface ClientReceived {
  /**
   * Bytes of PCM16, at the rate the suite sends (`accept()`'s `sampleRate`, else `outputSampleRate`), that the
   * client kept for playing: everything it received (played or still buffered) minus what it discarded when the
   * transport told it to. A browser client empties its playback buffer on `clear_audio`; a phone cannot, so for SIP
   * this is simply what arrived.
   */
  audioBytes: number;
  /** Control messages the client received, in order (parsed JSON for WebSocket/DataChannel). Optional. */
  messages?: readonly unknown[];
}

/**
 * A transport plus the client side of its connections, on loopback. Only `transport` and `connect` are required,
 * but a declared capability whose check needs a hook the subject lacks FAILS (it is never skipped): `interrupt`
 * needs `receivedByClient`, `inputMute` needs `sendFromClient`, `playbackCallback` needs `playOnClient`, `dtmf`
 * needs `sendDtmfFromClient`; `playbackPosition` uses `reportPlaybackFromClient` or `playOnClient` when present,
 * else waits for the transport to report by itself (a pacer).
 */
export interface TransportContractSubject {
  transport: RealtimeTransport;
  /** Opens a client connection and returns the handle `accept` takes (socket, WebRTC id, SIP call). */
  connect(): unknown | Promise<unknown>;
  /** Makes the client send this PCM16 (at `sampleRate`) so `onAudioReceived` fires. */
  sendFromClient?(connection: unknown, audio: Uint8Array): void | Promise<void>;
  /** Closes the client side so `onClientDisconnected` fires. */
  closeFromClient?(connection: unknown): void | Promise<void>;
  /** What the client holds of the audio the transport sent it (see `ClientReceived`). Never plays by itself. */
  receivedByClient?(connection: unknown): ClientReceived | Promise<ClientReceived>;
  /**
   * Lets the client play `ms` of what it holds: advances the device clock of a device-clock transport (local
   * audio, `playbackCallback`) or of a client player. A real-time device may simply wait `ms`.
   */
  playOnClient?(connection: unknown, ms: number): void | Promise<void>;
  /** The client reports it has played `playedMs` of the current response (WebSocket: the `playback` message). */
  reportPlaybackFromClient?(connection: unknown, playedMs: number): void | Promise<void>;
  /**
   * The client sends a DTMF digit (RFC 4733 event, SIP INFO, a `dtmf` message...). A subject whose transport has
   * no DTMF may still send what a client would try, so the suite checks `onDtmf` stays silent.
   */
  sendDtmfFromClient?(connection: unknown, digit: string): void | Promise<void>;
  /** PCM rate the client sends at (default 16000). */
  sampleRate?: number;
  /** PCM rate the suite sends to the client at when `accept` names none (default 24000). */
  outputSampleRate?: number;
  /** The client's audio arrives byte-identical (false for lossy codecs such as G.711). Default false. */
  lossless?: boolean;
  /** Runs after each test. `transport.close()` is called by the suite. */
  cleanup?: () => void | Promise<void>;
}

export interface TransportContractOptions {
  name?: string;
  /** Per-operation limit in milliseconds (default 5000). */
  operationTimeoutMs?: number;
  /**
   * How long the suite watches for something that must NOT happen (muted audio, an undeclared callback) before it
   * concludes it did not (default 200 ms).
   */
  quietPeriodMs?: number;
}
