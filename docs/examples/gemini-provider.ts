import { GeminiLiveProvider } from "@roomkit/provider-gemini";

export function createGeminiProvider() {
  return new GeminiLiveProvider({
    apiKey: "your-gemini-key", // or a (possibly async) function; default: GEMINI_API_KEY, then GOOGLE_API_KEY
    model: "gemini-2.5-flash-native-audio-preview-12-2025", // the default
  });
}
