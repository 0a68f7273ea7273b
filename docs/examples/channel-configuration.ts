import { RealtimeVoiceChannel, type ToolHandler } from "@roomkit/realtime-channel";
import type { RealtimeTransport, RealtimeVoiceProvider } from "@roomkit/spec";

const myToolHandler: ToolHandler = async (_session, name, args) => ({ tool: name, received: args });

export function createConfiguredChannel(provider: RealtimeVoiceProvider, transport: RealtimeTransport) {
  return new RealtimeVoiceChannel("voice-realtime", {
    provider, // RealtimeVoiceProvider
    transport, // RealtimeTransport (alias VoiceBackend)
    systemPrompt: "...", // AI instructions
    voice: "alloy", // Provider voice preset
    tools: [], // Tool definitions (JSON schema)
    temperature: 0.7, // Generation temperature (Gemini; ignored with a warning by OpenAI GA)
    inputSampleRate: 16000, // Audio from the client
    outputSampleRate: 24000, // Audio to the client
    transportSampleRate: undefined, // Transport rate (auto-resamples if different)
    emitTranscriptionEvents: true, // Store final transcriptions as RoomEvents
    toolHandler: myToolHandler, // Tool execution callback
    muteOnToolCall: false, // Mute the mic during tool execution (transports with inputMute)
    toolResultMaxLength: 16384, // Truncate large tool results
    toolTimeoutMs: 30_000, // A slower tool handler gets an error result
    providerConfig: {}, // Provider-specific settings (see below)
  });
}
