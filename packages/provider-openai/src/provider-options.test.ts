import { describe, expect, test } from "bun:test";
import { createRecordingLogger, LOGGER_ACCEPTED, RoomKitConfigError, silentLogger } from "@roomkit/spec";
import { OpenAIRealtimeProvider } from "./openai-realtime-provider.ts";

function configError(run: () => unknown): RoomKitConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(RoomKitConfigError);
    return error as RoomKitConfigError;
  }
  throw new Error("expected a RoomKitConfigError");
}

describe("OpenAIRealtimeProvider options are validated at construction", () => {
  test("a bad field is a RoomKitConfigError naming the component, the field and what is accepted", () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ apiKey: "" }, "apiKey"],
      [{ apiKey: 42 }, "apiKey"],
      [{ baseUrl: "https://api.openai.com/v1/realtime" }, "baseUrl"],
      [{ apiKeyHeader: "x-key" }, "apiKeyHeader"],
      [{ connectTimeoutMs: -1 }, "connectTimeoutMs"],
      [{ maxInboundFrameBytes: 1.5 }, "maxInboundFrameBytes"],
      [{ webSocketFactory: "ws" }, "webSocketFactory"],
      [{ clock: {} }, "clock"],
    ];
    for (const [options, field] of cases) {
      const error = configError(() => new OpenAIRealtimeProvider(options as never));
      expect(error.component).toBe("OpenAIRealtimeProvider");
      expect(error.field).toBe(field);
      expect(error.message).toContain(field);
    }
    expect(configError(() => new OpenAIRealtimeProvider("key" as never)).field).toBe("");
  });

  test("logger: spec's one check (all four methods); a partial logger is refused naming the field", () => {
    const noop = () => {};
    for (const partial of [{ warn: noop }, { warn: noop, error: noop }, { debug: noop, info: noop, warn: noop }]) {
      const error = configError(() => new OpenAIRealtimeProvider({ logger: partial as never }));
      expect([error.component, error.field, error.accepted]).toEqual([
        "OpenAIRealtimeProvider",
        "logger",
        LOGGER_ACCEPTED,
      ]);
      expect(error.message).toContain('option "logger": expected a Logger');
    }
    for (const logger of [console, silentLogger, createRecordingLogger()]) {
      expect(() => new OpenAIRealtimeProvider({ logger })).not.toThrow();
    }
  });

  test("valid options and no options construct (the key may come later from the environment)", () => {
    expect(new OpenAIRealtimeProvider().model).toBe("gpt-realtime");
    const provider = new OpenAIRealtimeProvider({
      apiKey: async () => "key",
      baseUrl: "ws://127.0.0.1:1/v1/realtime",
      apiKeyHeader: "api-key",
      connectTimeoutMs: 5000,
      model: "gpt-realtime-mini",
    });
    expect(provider.model).toBe("gpt-realtime-mini");
  });
});
