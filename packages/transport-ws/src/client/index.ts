export {
  emptyVoiceClientStats,
  RoomKitVoiceClient,
  type VoiceClientEvents,
  type VoiceClientOptions,
  type VoiceClientState,
  type VoiceClientStats,
} from "./voice-client.ts";
export {
  type VoiceClientAudio,
  type VoiceClientAudioBackend,
  type VoiceClientAudioHandlers,
  type VoiceClientAudioSettings,
  webAudioBackend,
} from "./audio-backend.ts";
export { AudioPlayer, type AudioPlayerOptions, type ClearResult, type PlayerStatus } from "./audio-player.ts";
export { MicrophoneCapture, type MicrophoneCaptureOptions } from "./microphone-capture.ts";
export { type TranscriptBubble, TranscriptAssembler } from "./transcript-assembler.ts";
export { isFinalCloseCode, type ReconnectOptions, reconnectDelay } from "./reconnect-backoff.ts";
export { TypedEmitter } from "./event-emitter.ts";
export { CAPTURE_PROCESSOR_NAME, CAPTURE_WORKLET_SOURCE } from "./worklets/capture-worklet-source.ts";
export { PLAYBACK_PROCESSOR_NAME, PLAYBACK_WORKLET_SOURCE } from "./worklets/playback-worklet-source.ts";
