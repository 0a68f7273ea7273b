import { RealtimeVoiceChannel } from "@roomkit/realtime-channel";
import type { RealtimeVoiceProvider } from "@roomkit/spec";
import { LocalAudioBackend } from "@roomkit/transport-local";

// The machine's microphone and speakers (PulseAudio/PipeWire `parec`/`pacat`, else ALSA `arecord`/`aplay`).
export function localVoiceChannel(provider: RealtimeVoiceProvider) {
  const transport = new LocalAudioBackend({
    sampleRate: 16000,
    channels: 1,
  });
  return new RealtimeVoiceChannel("voice", { provider, transport });
}
