import { GeminiLiveProvider } from "@roomkit/provider-gemini";
import { OpenAIRealtimeProvider } from "@roomkit/provider-openai";
import type { Logger, RealtimeVoiceProvider } from "@roomkit/spec";
import {
  createGeminiLiveFake,
  createOpenAIRealtimeFake,
  type GeminiLiveFake,
  type OpenAIRealtimeFake,
} from "@roomkit/testing";
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
  /** `offline-gemini` only: the in-process Gemini Live fake. */
  geminiFake?: GeminiLiveFake;
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
  if (choice === "offline-gemini") {
    // Real time (pace 1), so the reply plays as long as it would from the service and a barge-in can cut it.
    const geminiFake = await createGeminiLiveFake({ pace: 1 });
    return {
      provider: new GeminiLiveProvider({ apiKey: "offline-demo", baseUrl: geminiFake.baseUrl, logger }),
      kind: "offline-gemini",
      label: "Offline (Gemini fake)",
      voice: "Aoede",
      geminiFake,
      typingHint: 'or type: "get_weather" or [[call:lookup_order {"order_id":"A-42"}]] to see a tool call',
      mode:
        "Offline mode: an in-process fake of the Gemini Live API. After you stop speaking it answers with how long " +
        "you spoke, and your transcript is that duration. Set GEMINI_API_KEY and pass --provider gemini for the " +
        "real model.",
      stop: async () => {
        await geminiFake.close();
      },
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
