import { OpenAIRealtimeProvider } from "@roomkit/provider-openai";

export function createOpenAIProvider() {
  return new OpenAIRealtimeProvider({
    apiKey: "sk-...", // or a (possibly async) function; default: OPENAI_API_KEY
    model: "gpt-realtime", // the default
    baseUrl: undefined, // custom endpoint (optional), default wss://api.openai.com/v1/realtime
  });
}
