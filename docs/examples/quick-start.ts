import { RoomKit } from "@roomkit/core";
import { OpenAIRealtimeProvider } from "@roomkit/provider-openai";
import { RealtimeVoiceChannel } from "@roomkit/realtime-channel";
import { MockVoiceBackend } from "@roomkit/testing";

export function createQuickStart() {
  const provider = new OpenAIRealtimeProvider({
    apiKey: process.env.OPENAI_API_KEY, // optional: OPENAI_API_KEY is read at connect time by default
    model: "gpt-realtime",
  });

  const transport = new MockVoiceBackend();

  const channel = new RealtimeVoiceChannel("voice-realtime", {
    provider,
    transport,
    systemPrompt: "You are a helpful voice assistant.",
    voice: "alloy",
    inputSampleRate: 16000,
    outputSampleRate: 24000,
    emitTranscriptionEvents: true,
  });

  const kit = new RoomKit();
  kit.registerChannel(channel);
  return { kit, channel, provider, transport };
}
