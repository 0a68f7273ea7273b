import { silentLogger } from "@roomkit/spec";
import { createOpenAIRealtimeFake, describeRealtimeProviderContract } from "@roomkit/testing";
import { OpenAIRealtimeProvider } from "./openai-realtime-provider.ts";

describeRealtimeProviderContract(
  async () => {
    const fake = await createOpenAIRealtimeFake({ speed: "instant" });
    return {
      provider: new OpenAIRealtimeProvider({ apiKey: "sk-test", baseUrl: fake.baseUrl, logger: silentLogger }),
      cleanup: () => fake.close(),
    };
  },
  { name: "OpenAIRealtimeProvider contract (on the OpenAI Realtime fake)" },
);
