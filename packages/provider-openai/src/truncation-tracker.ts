/** A truncate this close to the end of the received audio is skipped (the server's item is ~85 ms shorter). */
export const END_MARGIN_MS = 100;

interface AudioItemState {
  itemId: string;
  contentIndex: number;
  receivedBytes: number;
  /** Set once a truncate for this item is reserved or sent. */
  truncatedAtMs: number | undefined;
}

export interface TruncateRequest {
  itemId: string;
  contentIndex: number;
  audioEndMs: number;
}

/**
 * Per-item bookkeeping for `conversation.item.truncate`: which assistant audio item is current, how much of it
 * arrived, and whether it was already truncated (once per item). Reset on every new item id.
 */
export class TruncationTracker {
  #current: AudioItemState | undefined;
  readonly #bytesPerMs: number;

  constructor(bytesPerMs: number) {
    this.#bytesPerMs = bytesPerMs;
  }

  get currentItemId(): string | undefined {
    return this.#current?.itemId;
  }

  /** Generated audio of the current item, in ms. */
  get receivedMs(): number {
    return this.#current ? Math.floor(this.#current.receivedBytes / this.#bytesPerMs) : 0;
  }

  onAudioDelta(itemId: string, contentIndex: number, wireBytes: number): void {
    const current = this.#current;
    if (current === undefined || current.itemId !== itemId || current.contentIndex !== contentIndex) {
      this.#current = { itemId, contentIndex, receivedBytes: wireBytes, truncatedAtMs: undefined };
      return;
    }
    current.receivedBytes += wireBytes;
  }

  /**
   * Reserves a truncate of the current item at `playedMs` (integer). `undefined` when there is no item, it was
   * already truncated, no audio was received (a 0 ms truncate is an API error), or the caller heard all of it but
   * the last `END_MARGIN_MS`: the server's item holds slightly less audio than it streamed (~85 ms), so a truncate
   * at the end is refused ("already shorter than"), and there is nothing audible left to cut (as
   * `@openai/agents-realtime` and openai-agents-python#2374 skip it). The skipped item counts as handled.
   */
  reserve(playedMs: number): TruncateRequest | undefined {
    const current = this.#current;
    if (current === undefined || current.truncatedAtMs !== undefined) return undefined;
    const generatedMs = Math.floor(current.receivedBytes / this.#bytesPerMs);
    if (generatedMs <= 0) return undefined;
    const audioEndMs = Math.max(0, Math.floor(playedMs));
    if (audioEndMs > 0 && audioEndMs >= generatedMs - END_MARGIN_MS) {
      current.truncatedAtMs = generatedMs;
      return undefined;
    }
    current.truncatedAtMs = audioEndMs;
    return { itemId: current.itemId, contentIndex: current.contentIndex, audioEndMs };
  }

  /** Releases a reservation whose send failed, so a later call can retry. */
  release(request: TruncateRequest): void {
    const current = this.#current;
    if (current?.itemId === request.itemId && current.truncatedAtMs === request.audioEndMs) {
      current.truncatedAtMs = undefined;
    }
  }

  reset(): void {
    this.#current = undefined;
  }
}
