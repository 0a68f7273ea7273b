import type { FuzzTarget } from "../engine.ts";
import { createGeminiEventsTarget } from "./gemini-events.ts";
import { createOpenAIEventsTarget } from "./openai-events.ts";
import { createStoreTarget } from "./stores.ts";
import { createWsClientTarget } from "./ws-client.ts";

/** Every fuzz target, by name (a fresh instance per call). */
export const FUZZ_TARGETS: Readonly<Record<string, () => FuzzTarget<any>>> = {
  "ws-client": createWsClientTarget,
  "openai-events": createOpenAIEventsTarget,
  "gemini-events": createGeminiEventsTarget,
  "store-memory": () => createStoreTarget("memory"),
  "store-sqlite": () => createStoreTarget("sqlite"),
};
