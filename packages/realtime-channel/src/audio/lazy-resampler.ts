import type { ChannelResampler, ResamplerFactory } from "./resampler-types.ts";

const EMPTY = new Uint8Array(0);
const validatedPairs = new Set<string>();

/**
 * A resampler built on first use, so idle sessions don't hold filter state (the benchmark's idle-session memory
 * target). The rate pair is validated when the wrapper is made (once per pair per process), so a bad pair still
 * fails the session start. Frames go through the inner resampler's `processInto` when it has one (see `process`).
 */
export class LazyResampler implements ChannelResampler {
  readonly #factory: ResamplerFactory;
  readonly fromRate: number;
  readonly toRate: number;
  #inner: ChannelResampler | undefined;
  /** `processInto`'s output, kept across frames (grown when a frame needs more). */
  #scratch: Uint8Array | undefined;

  constructor(factory: ResamplerFactory, fromRate: number, toRate: number) {
    const key = `${fromRate}>${toRate}`;
    if (!validatedPairs.has(key)) {
      this.#inner = factory({ fromRate, toRate });
      validatedPairs.add(key);
    }
    this.#factory = factory;
    this.fromRate = fromRate;
    this.toRate = toRate;
  }

  process(pcm: Uint8Array): Uint8Array {
    let inner = this.#inner;
    if (inner === undefined) this.#inner = inner = this.#factory({ fromRate: this.fromRate, toRate: this.toRate });
    if (inner.processInto === undefined || inner.maxOutputBytes === undefined) return inner.process(pcm);
    const needed = inner.maxOutputBytes(pcm.byteLength);
    let scratch = this.#scratch;
    if (scratch === undefined || scratch.byteLength < needed) this.#scratch = scratch = new Uint8Array(needed);
    const written = inner.processInto(pcm, scratch);
    // The frame goes to a provider or transport that may keep it (a pacer's queue, a reconnect buffer): it gets its
    // own copy of exactly the bytes written, one allocation; the resampler itself allocates nothing.
    return written === 0 ? EMPTY : scratch.slice(0, written);
  }

  flush(): Uint8Array {
    return this.#inner === undefined ? EMPTY : this.#inner.flush();
  }

  reset(): void {
    this.#inner?.reset();
  }
}
