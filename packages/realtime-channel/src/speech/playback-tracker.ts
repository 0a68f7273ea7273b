import type { PlaybackPosition } from "@roomkit/spec";

export type PositionSource = "device" | "client" | "pacer" | "wall_clock" | "none";

export interface HeardPosition {
  /** Milliseconds of the current response the caller heard. */
  ms: number;
  source: PositionSource;
  /** Part of the response is still unheard (a real barge-in). */
  playing: boolean;
}

/**
 * How much of the current response the caller has heard, from the best source available:
 * 1. the device (`onAudioPlayed`, a transport with `capabilities.playbackCallback`),
 * 2. a reported position (`onPlaybackPosition`: a client `playback` message or a pacer's sent position),
 * 3. wall-clock time since the response's first audio reached the transport, clamped to the audio sent.
 */
export class PlaybackTracker {
  firstSentAt = -1;
  sentMs = 0;
  deviceStarted = false;
  devicePlayedMs = 0;
  reportedMs = -1;
  reportedSource: PlaybackPosition["source"] = "client";

  onSent(now: number, bytes: number, sampleRate: number): void {
    if (this.firstSentAt < 0) this.firstSentAt = now;
    this.sentMs += (bytes * 500) / sampleRate;
  }

  /** A block the device played. Silence does not start tracking; `playbackEnded` clears it. */
  onPlayed(audio: Uint8Array, sampleRate: number, playbackEnded: boolean): void {
    if (playbackEnded) {
      this.deviceStarted = false;
      this.devicePlayedMs = 0;
      return;
    }
    if (!this.deviceStarted) {
      if (isSilent(audio)) return;
      this.deviceStarted = true;
    }
    this.devicePlayedMs += (audio.byteLength * 500) / sampleRate;
  }

  onPosition(position: PlaybackPosition): void {
    if (!Number.isFinite(position.playedMs) || position.playedMs < 0) return;
    this.reportedMs = position.playedMs;
    this.reportedSource = position.source;
  }

  /** A new response: the sent/reported position restarts (the device keeps playing what it has). */
  startResponse(): void {
    this.firstSentAt = -1;
    this.sentMs = 0;
    this.reportedMs = -1;
  }

  /** After a barge-in everything restarts. */
  reset(): void {
    this.startResponse();
    this.deviceStarted = false;
    this.devicePlayedMs = 0;
  }

  heard(now: number, devicePlayback: boolean): HeardPosition {
    if (devicePlayback) {
      return { ms: Math.round(this.devicePlayedMs), source: "device", playing: this.deviceStarted };
    }
    const sent = this.sentMs;
    if (this.reportedMs >= 0) {
      const ms = sent > 0 ? Math.min(this.reportedMs, sent) : this.reportedMs;
      return { ms: Math.round(ms), source: this.reportedSource, playing: ms < sent };
    }
    if (this.firstSentAt >= 0) {
      const ms = Math.min(Math.max(0, now - this.firstSentAt), sent);
      return { ms: Math.round(ms), source: "wall_clock", playing: ms < sent };
    }
    return { ms: 0, source: "none", playing: false };
  }
}

function isSilent(audio: Uint8Array): boolean {
  for (let index = 0; index < audio.length; index++) if (audio[index] !== 0) return false;
  return true;
}
