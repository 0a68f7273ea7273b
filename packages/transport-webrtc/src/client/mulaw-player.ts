import { decodeBase64, decodeMulaw } from "@roomkit/audio";

/** Lead before the first chunk of a burst plays (a small jitter buffer). */
const START_LEAD_S = 0.06;

/**
 * Plays the transport's `{"event":"media"}` DataChannel messages (base64 μ-law at the session's output rate) with
 * Web Audio: each chunk is scheduled right after the previous one; `clear()` stops everything scheduled at once.
 */
export class MulawPlayer {
  readonly #context: AudioContext;
  readonly #output: AudioNode;
  readonly #sampleRate: number;
  readonly #sources = new Set<AudioBufferSourceNode>();
  #nextTime = 0;
  /** Audio scheduled since the last reset, in seconds. */
  #scheduledS = 0;

  constructor(options: { context: AudioContext; output: AudioNode; sampleRate: number }) {
    this.#context = options.context;
    this.#output = options.output;
    this.#sampleRate = options.sampleRate;
  }

  /** Queues one media payload (base64 μ-law); returns false for a payload that is not base64. */
  pushPayload(payload: string): boolean {
    const codes = decodeBase64(payload);
    if (codes === undefined || codes.byteLength === 0) return false;
    const pcm = decodeMulaw(codes);
    const view = new DataView(pcm.buffer, pcm.byteOffset, pcm.byteLength);
    const count = pcm.byteLength >> 1;
    const buffer = this.#context.createBuffer(1, count, this.#sampleRate);
    const channel = buffer.getChannelData(0);
    for (let index = 0; index < count; index++) channel[index] = view.getInt16(index * 2, true) / 32768;
    const source = this.#context.createBufferSource();
    source.buffer = buffer;
    source.connect(this.#output);
    const now = this.#context.currentTime;
    const at = this.#nextTime > now ? this.#nextTime : now + START_LEAD_S;
    source.start(at);
    this.#nextTime = at + buffer.duration;
    this.#scheduledS += buffer.duration;
    this.#sources.add(source);
    source.onended = () => this.#sources.delete(source);
    return true;
  }

  /** Scheduled but not yet played, in ms. */
  get bufferedMs(): number {
    return Math.max(0, this.#nextTime - this.#context.currentTime) * 1000;
  }

  /** Played since the last reset (a new response or a clear), in ms. */
  get playedMs(): number {
    return Math.max(0, this.#scheduledS * 1000 - this.bufferedMs);
  }

  /** Restarts the played position (a new response). */
  resetPosition(): void {
    this.#scheduledS = this.bufferedMs / 1000;
  }

  /** Stops what is playing and drops what is scheduled; returns the ms that were still buffered. */
  clear(): number {
    const buffered = this.bufferedMs;
    for (const source of this.#sources) {
      source.onended = null;
      try {
        source.stop();
      } catch {
        // never started: nothing to stop
      }
      source.disconnect();
    }
    this.#sources.clear();
    this.#nextTime = 0;
    this.#scheduledS = 0;
    return buffered;
  }
}
