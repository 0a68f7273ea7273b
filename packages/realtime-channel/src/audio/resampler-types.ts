/** The streaming resampler the channel needs (implemented by `@roomkit/audio`'s `createResampler`). */
export interface ChannelResampler {
  process(pcm: Uint8Array): Uint8Array;
  flush(): Uint8Array;
  reset(): void;
}

export type ResamplerFactory = (options: { fromRate: number; toRate: number }) => ChannelResampler;
