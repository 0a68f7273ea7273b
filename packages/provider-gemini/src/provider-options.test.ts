import { describe, expect, test } from "bun:test";
import { createRecordingLogger, LOGGER_ACCEPTED, RoomKitConfigError, silentLogger } from "@roomkit/spec";
import { GeminiLiveProvider } from "./gemini-live-provider.ts";

function configError(run: () => unknown): RoomKitConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(RoomKitConfigError);
    return error as RoomKitConfigError;
  }
  throw new Error("expected a RoomKitConfigError");
}

describe("GeminiLiveProvider options are validated at construction", () => {
  test("a bad field is a RoomKitConfigError naming the component, the field and what is accepted", () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ apiKey: "" }, "apiKey"],
      [{ apiVersion: "v2" }, "apiVersion"],
      [{ baseUrl: "generativelanguage.googleapis.com" }, "baseUrl"],
      [{ connector: {} }, "connector"],
      [{ reconnectBufferFrames: -1 }, "reconnectBufferFrames"],
      [{ maxReconnectAttempts: 0.5 }, "maxReconnectAttempts"],
      [{ connectTimeoutMs: 0 }, "connectTimeoutMs"],
    ];
    for (const [options, field] of cases) {
      const error = configError(() => new GeminiLiveProvider(options as never));
      expect(error.component).toBe("GeminiLiveProvider");
      expect(error.field).toBe(field);
      expect(error.message).toContain(field);
    }
  });

  test("logger: spec's one check (all four methods); a partial logger is refused naming the field", () => {
    const noop = () => {};
    for (const partial of [{ warn: noop }, { warn: noop, error: noop }, { debug: noop, info: noop, warn: noop }]) {
      const error = configError(() => new GeminiLiveProvider({ logger: partial as never }));
      expect([error.component, error.field, error.accepted]).toEqual(["GeminiLiveProvider", "logger", LOGGER_ACCEPTED]);
      expect(error.message).toContain('option "logger": expected a Logger');
    }
    for (const logger of [console, silentLogger, createRecordingLogger()]) {
      expect(() => new GeminiLiveProvider({ logger })).not.toThrow();
    }
  });

  test("valid options and no options construct", () => {
    expect(() => new GeminiLiveProvider()).not.toThrow();
    expect(
      () => new GeminiLiveProvider({ apiKey: () => "key", apiVersion: "v1alpha", baseUrl: "http://127.0.0.1:1" }),
    ).not.toThrow();
  });
});
