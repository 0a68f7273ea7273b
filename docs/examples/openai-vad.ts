import { OpenAIRealtimeProvider } from "@roomkit/provider-openai";
import { RealtimeVoiceChannel } from "@roomkit/realtime-channel";
import type { RealtimeTransport, VoiceSession } from "@roomkit/spec";

const provider = new OpenAIRealtimeProvider();

// Server VAD (default)
export function serverVadChannel(transport: RealtimeTransport) {
  return new RealtimeVoiceChannel("voice", {
    provider,
    transport,
    providerConfig: {
      turn_detection: {
        type: "server_vad",
        threshold: 0.5,
        silence_duration_ms: 800,
        prefix_padding_ms: 300,
        interrupt_response: true,
        create_response: true,
      },
    },
  });
}

// Semantic VAD (understands conversation flow)
export function semanticVadChannel(transport: RealtimeTransport) {
  return new RealtimeVoiceChannel("voice", {
    provider,
    transport,
    providerConfig: {
      turn_detection: {
        type: "semantic_vad",
        eagerness: "high", // low, medium, high, auto
      },
    },
  });
}

// Manual turn management (no automatic VAD)
export function manualTurnsChannel(transport: RealtimeTransport) {
  return new RealtimeVoiceChannel("voice", {
    provider,
    transport,
    providerConfig: { turn_detection: null },
  });
}

// With manual turns, end the user's turn yourself: commits the audio buffer and asks for a response.
export async function endUserTurn(session: VoiceSession) {
  await provider.sendActivityEnd(session);
}
