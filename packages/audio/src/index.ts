// PCM helpers
export { durationMs, int16ToBytes, monoToStereo, pcm16View, sampleCount, stereoToMono } from "./pcm/pcm16.ts";
export {
  generateNoise,
  generateSilence,
  generateSweep,
  generateTone,
  MAX_GENERATED_DURATION_MS,
  type NoiseOptions,
  type SilenceOptions,
  type SweepOptions,
  type ToneOptions,
} from "./pcm/generators.ts";
export { readWav, type WavAudio, type WriteWavOptions, writeWav } from "./pcm/wav.ts";
export { Pcm16Aligner } from "./pcm/pcm16-aligner.ts";

// bytes
export { decodeBase64, encodeBase64, joinBase64 } from "./bytes/base64.ts";
export { SUPPORTED_SAMPLE_RATES } from "./validate.ts";

// codecs
export {
  alawToLinear,
  decodeAlaw,
  decodeAlawInto,
  decodeMulaw,
  decodeMulawInto,
  encodeAlaw,
  encodeAlawInto,
  encodeMulaw,
  encodeMulawInto,
  linearToAlaw,
  linearToMulaw,
  mulawToLinear,
} from "./codecs/g711.ts";

// resampler
export {
  createResampler,
  type ResamplerKernel,
  type ResamplerOptions,
  type StreamingResampler,
} from "./resampler/streaming-resampler.ts";

// levels
export { EnergyVad, type EnergyVadOptions, peakLevel, RMS_DB_FLOOR, rmsDb } from "./levels/levels.ts";

// pacing
export { OutboundAudioPacer, type OutboundAudioPacerOptions } from "./pacer/outbound-audio-pacer.ts";
export { G722Decoder, G722Encoder, type G722Kernel, type G722Options } from "./codecs/g722.ts";
