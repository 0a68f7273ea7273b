import { GeminiLiveProvider } from "@roomkit/provider-gemini";
import { OpenAIRealtimeProvider } from "@roomkit/provider-openai";
import type { Logger, RealtimeVoiceProvider } from "@roomkit/spec";
import { createOpenAIRealtimeFake, type OpenAIRealtimeFake } from "@roomkit/testing";
import type { ProviderChoice } from "./cli-options.ts";

export interface DemoProvider {
  provider: RealtimeVoiceProvider;
  kind: ProviderChoice;
  label: string;
  /** The plain statement of the mode, shown on the page. */
  mode: string;
  providerConfig?: Record<string, unknown>;
  voice?: string;
  /** Placeholder of the page's text box. */
  typingHint?: string;
  /** Offline mode only: the in-process fake (tests read what it received). */
  fake?: OpenAIRealtimeFake;
  /** Stops what the provider needed (the offline fake server). */
  stop(): Promise<void>;
}

/** Builds the provider the demo runs on: a real one with a key, or the in-process OpenAI fake ("echo" brain). */
export async function createDemoProvider(choice: ProviderChoice, logger: Logger): Promise<DemoProvider> {
  if (choice === "openai") {
    return {
      provider: new OpenAIRealtimeProvider({ logger }),
      kind: "openai",
      label: "OpenAI Realtime",
      mode: "Live mode: your voice goes to the OpenAI Realtime API (OPENAI_API_KEY). Allow the microphone and press Talk.",
      voice: "marin",
      stop: async () => {},
    };
  }
  if (choice === "gemini") {
    return {
      provider: new GeminiLiveProvider({ logger }),
      kind: "gemini",
      label: "Gemini Live",
      mode: "Live mode: your voice goes to Google Gemini Live (GEMINI_API_KEY). Allow the microphone and press Talk.",
      voice: "Aoede",
      stop: async () => {},
    };
  }
  // recordAudio off: a long-running demo must not keep every appended frame.
  const fake = await createOpenAIRealtimeFake({ brain: "echo", recordAudio: false });
  return {
    provider: new OpenAIRealtimeProvider({ apiKey: "offline-demo", baseUrl: fake.baseUrl, logger }),
    kind: "offline",
    label: "Offline (echo)",
    fake,
    typingHint: 'or type: "get_weather" or [[call:lookup_order {"order_id":"A-42"}]] to see a tool call',
    mode:
      "Offline mode: no API key is set, so the demo runs an in-process fake of the OpenAI Realtime API with an echo " +
      "brain. After you stop speaking it plays your own words back, and its transcript only states how long you " +
      "spoke. Set OPENAI_API_KEY or GEMINI_API_KEY (or pass --provider) to talk to a real model.",
    stop: async () => {
      await fake.close();
    },
  };
}
