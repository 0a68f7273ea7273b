import { AudioPlayer, type ClearResult, type PlayerStatus } from "./audio-player.ts";
import { MicrophoneCapture } from "./microphone-capture.ts";

/** What the voice client needs from the audio side (the browser's Web Audio by default; a fake in tests). */
export interface VoiceClientAudio {
  /** Rate of the playback clock (the AudioContext's), for converting discarded samples to ms. */
  readonly sampleRate: number;
  readonly status: PlayerStatus;
  push(pcm: Uint8Array): void;
  clear(): Promise<ClearResult>;
  endOfResponse(): void;
  resetPosition(): void;
  setMicMuted(muted: boolean): void;
  close(): Promise<void>;
}

export interface VoiceClientAudioHandlers {
  /** One captured frame at the session input rate, and its RMS (0..1). */
  onFrame(pcm: Int16Array<ArrayBuffer>, rms: number): void;
  /** Player status, about 10 per second. */
  onStatus(status: PlayerStatus): void;
}

export interface VoiceClientAudioSettings {
  inputSampleRate: number;
  outputSampleRate: number;
  frameMs?: number;
  jitterMs?: number;
  audioConstraints?: MediaTrackConstraints;
}

export type VoiceClientAudioBackend = (
  settings: VoiceClientAudioSettings,
  handlers: VoiceClientAudioHandlers,
) => Promise<VoiceClientAudio>;

/** The default backend: one AudioContext, the playback worklet and the microphone worklet. */
export const webAudioBackend: VoiceClientAudioBackend = async (settings, handlers) => {
  const context = new AudioContext({ latencyHint: "interactive" });
  let player: AudioPlayer | undefined;
  let microphone: MicrophoneCapture | undefined;
  try {
    if (context.state === "suspended") await context.resume();
    player = await AudioPlayer.create({
      context,
      sourceRate: settings.outputSampleRate,
      jitterMs: settings.jitterMs,
      onStatus: handlers.onStatus,
    });
    microphone = await MicrophoneCapture.start({
      context,
      targetRate: settings.inputSampleRate,
      frameMs: settings.frameMs,
      constraints: settings.audioConstraints,
      onFrame: handlers.onFrame,
    });
  } catch (error) {
    // Microphone refused or audio unavailable: release what was opened.
    player?.stop();
    await context.close().catch(() => undefined);
    throw error;
  }
  const openedPlayer = player;
  const openedMicrophone = microphone;
  return {
    sampleRate: context.sampleRate,
    get status() {
      return openedPlayer.status;
    },
    push: (pcm) => openedPlayer.push(pcm),
    clear: () => openedPlayer.clear(),
    endOfResponse: () => openedPlayer.endOfResponse(),
    resetPosition: () => openedPlayer.resetPosition(),
    setMicMuted: (muted) => openedMicrophone.setMuted(muted),
    close: async () => {
      openedMicrophone.stop();
      openedPlayer.stop();
      await context.close().catch(() => undefined);
    },
  };
};
