import { createGeminiLiveFake, describeRealtimeProviderContract } from "@roomkit/testing";
import { silentLogger } from "@roomkit/spec";
import { GeminiLiveProvider } from "./gemini-live-provider.ts";

describeRealtimeProviderContract(
  async () => {
    const fake = await createGeminiLiveFake();
    return {
      provider: new GeminiLiveProvider({ apiKey: "test-key", baseUrl: fake.baseUrl, logger: silentLogger }),
      cleanup: () => fake.close(),
    };
  },
  { name: "GeminiLiveProvider contract (on the Gemini Live fake)" },
);
