import type { ChannelResampler, ResamplerFactory } from "./resampler-types.ts";

const EMPTY = new Uint8Array(0);
const validatedPairs = new Set<string>();

/**
 * A resampler built on first use, so idle sessions don't hold filter state (the benchmark's idle-session memory
 * target). The rate pair is validated when the wrapper is made (once per pair per process), so a bad pair still
 * fails the session start.
 */
export class LazyResampler implements ChannelResampler {
  readonly #factory: ResamplerFactory;
  readonly fromRate: number;
  readonly toRate: number;
  #inner: ChannelResampler | undefined;

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
    return inner.process(pcm);
  }

  flush(): Uint8Array {
    return this.#inner === undefined ? EMPTY : this.#inner.flush();
  }

  reset(): void {
    this.#inner?.reset();
  }
}
