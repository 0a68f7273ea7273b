import type { OpenAIProviderConfig } from "@roomkit/provider-openai";

// Configure which model transcribes user input (default "gpt-4o-transcribe"; null turns it off)
export const providerConfig: OpenAIProviderConfig = {
  stt_model: "gpt-4o-transcribe",
  language: "en", // optional hint
  transcription_prompt: "Vocabulary: RoomKit, Bun", // optional
};
