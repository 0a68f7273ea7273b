/** The streaming resampler the channel needs (implemented by `@roomkit/audio`'s `createResampler`). */
export interface ChannelResampler {
  process(pcm: Uint8Array): Uint8Array;
  /**
   * Optional buffer-reusing variant: resamples `pcm` into `out` from byte 0 and returns the bytes written; `out`
   * holds at least `maxOutputBytes(pcm.byteLength)` bytes. Used when both are present (with a buffer kept per
   * session and direction), else `process`.
   */
  processInto?(pcm: Uint8Array, out: Uint8Array): number;
  /** Most bytes one `processInto` call writes for `inputBytes` bytes of input. */
  maxOutputBytes?(inputBytes: number): number;
  flush(): Uint8Array;
  reset(): void;
}

export type ResamplerFactory = (options: { fromRate: number; toRate: number }) => ChannelResampler;
