import { GeminiLiveProvider } from "@roomkit/provider-gemini";
import { RealtimeVoiceChannel } from "@roomkit/realtime-channel";
import type { RealtimeTransport } from "@roomkit/spec";

export function createGeminiChannel(transport: RealtimeTransport) {
  const provider = new GeminiLiveProvider();
  return new RealtimeVoiceChannel("voice", {
    provider,
    transport,
    voice: "Aoede",
    providerConfig: {
      // VAD sensitivity
      start_of_speech_sensitivity: "HIGH", // LOW, HIGH
      end_of_speech_sensitivity: "LOW", // LOW, HIGH
      silence_duration_ms: 500,

      // Proactive audio (AI speaks without prompt)
      proactive_audio: true,

      // Affective dialog (emotional responses)
      enable_affective_dialog: true,

      // Extended thinking
      thinking_budget: 1024,

      // Generation parameters
      top_p: 0.8,
      top_k: 40,
      max_output_tokens: 2048,

      // Non-interruptible mode
      activity_handling: "NO_INTERRUPTION",

      // Language
      language_code: "en-US",
    },
  });
}
