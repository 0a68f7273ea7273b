import { describe, expect, test } from "bun:test";
import { GeminiLiveProvider } from "@roomkit/provider-gemini";
import { OpenAIRealtimeProvider } from "@roomkit/provider-openai";
import { silentLogger } from "@roomkit/spec";
import { createDemoProvider } from "./demo-provider.ts";

describe("createDemoProvider", () => {
  test("openai and gemini build the real providers (keys are read at connect, nothing is opened here)", async () => {
    const openai = await createDemoProvider("openai", silentLogger);
    expect(openai.provider).toBeInstanceOf(OpenAIRealtimeProvider);
    expect(openai.mode).toContain("OpenAI");
    const gemini = await createDemoProvider("gemini", silentLogger);
    expect(gemini.provider).toBeInstanceOf(GeminiLiveProvider);
    expect(gemini.mode).toContain("Gemini");
  });

  test("offline starts the in-process OpenAI fake and stops it", async () => {
    const offline = await createDemoProvider("offline", silentLogger);
    expect(offline.provider).toBeInstanceOf(OpenAIRealtimeProvider);
    expect(offline.mode).toContain("Offline mode");
    await offline.stop();
  });

  test("offline-gemini starts the in-process Gemini Live fake and points the Gemini provider at it", async () => {
    const offline = await createDemoProvider("offline-gemini", silentLogger);
    expect(offline.provider).toBeInstanceOf(GeminiLiveProvider);
    expect(offline.geminiFake?.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(offline.mode).toContain("Offline mode");
    await offline.stop();
  });
});
