export type {
  AudioDriver,
  AudioInput,
  AudioOutput,
  AudioStreamErrorHandler,
  AudioStreamOptions,
} from "./drivers/audio-driver.ts";
export {
  type CaptureMark,
  isCaptureMark,
  LocalCaptureSource,
  type LocalCaptureSourceOptions,
} from "./capture-source.ts";
export { createAlsaDriver } from "./drivers/alsa-driver.ts";
export { type DriverName, resolveDriver } from "./drivers/detect-driver.ts";
export { FakeAudioDriver, type FakeAudioDriverOptions, type FakeStreamRecord } from "./drivers/fake-driver.ts";
export { createPulseDriver, type PulseDriverOptions } from "./drivers/pulse-driver.ts";
export type { LocalAudioOptions } from "./local-audio-options.ts";
export { LocalAudioBackend, type LocalPlayedAudio } from "./local-audio-transport.ts";
export { type RenderResult, SpeakerBuffer, type SpeakerBufferOptions } from "./speaker-buffer.ts";
export { MAX_AEC_DELAY_MS, type TransportAec } from "./transport-aec.ts";
