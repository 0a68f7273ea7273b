import { describe, expect, test } from "bun:test";
import { LoadApiKeyError } from "../errors/load-api-key-error.ts";
import { loadApiKey } from "./load-api-key.ts";

const base = { environmentVariableNames: ["FIRST_KEY", "SECOND_KEY"], description: "TestProvider" };

describe("loadApiKey", () => {
  test("a string, a sync or async function, or the first non-empty environment variable", async () => {
    expect(await loadApiKey({ ...base, apiKey: "k1", environment: { FIRST_KEY: "env" } })).toBe("k1");
    expect(await loadApiKey({ ...base, apiKey: () => "k2" })).toBe("k2");
    expect(await loadApiKey({ ...base, apiKey: async () => "k3" })).toBe("k3");
    const environment = { FIRST_KEY: "", SECOND_KEY: "from-second" };
    expect(await loadApiKey({ ...base, apiKey: undefined, environment })).toBe("from-second");
  });

  test("missing, empty, or a failing function ⇒ LoadApiKeyError naming the provider and the variables", async () => {
    const missing = await loadApiKey({ ...base, apiKey: undefined, environment: {} }).catch((error) => error);
    expect(missing).toBeInstanceOf(LoadApiKeyError);
    expect(missing.message).toContain("TestProvider");
    expect(missing.message).toContain("FIRST_KEY or SECOND_KEY");
    await expect(loadApiKey({ ...base, apiKey: " ", environment: {} })).rejects.toBeInstanceOf(LoadApiKeyError);
    await expect(loadApiKey({ ...base, apiKey: async () => "" })).rejects.toBeInstanceOf(LoadApiKeyError);
    const failing = await loadApiKey({ ...base, apiKey: () => Promise.reject(new Error("vault down")) }).catch(
      (error) => error,
    );
    expect(failing).toBeInstanceOf(LoadApiKeyError);
    expect((failing.cause as Error).message).toBe("vault down");
  });
});
