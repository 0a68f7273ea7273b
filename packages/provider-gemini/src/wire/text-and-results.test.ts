import { describe, expect, test } from "bun:test";
import { isRetryableClose, parseDurationMs } from "./close-codes.ts";
import { MAX_INJECTED_TEXT_CHARS, sanitizeInjectedText } from "./sanitize-text.ts";
import { toolResultToResponse } from "./tool-response.ts";

describe("sanitizeInjectedText", () => {
  test("strips control characters but keeps tab, newline, carriage return", () => {
    expect(sanitizeInjectedText("a\u0000b\u0007c\td\ne\rf\u009bg")).toBe("abc\td\ne\rfg");
  });
  test("drops unpaired surrogates, keeps pairs", () => {
    expect(sanitizeInjectedText("x\ud800y\udc00z😀")).toBe("xyz😀");
  });
  test("caps at 32 000 characters with a marker", () => {
    const text = sanitizeInjectedText("a".repeat(40_000));
    expect(text.length).toBe(MAX_INJECTED_TEXT_CHARS + "... [truncated]".length);
    expect(text.endsWith("... [truncated]")).toBe(true);
  });
});

describe("toolResultToResponse (§8 item 81)", () => {
  test("JSON objects as is; other JSON and plain text wrapped in { result }", () => {
    expect(toolResultToResponse('{"status":"ok","value":42}')).toEqual({ status: "ok", value: 42 });
    expect(toolResultToResponse("[1,2]")).toEqual({ result: [1, 2] });
    expect(toolResultToResponse("42")).toEqual({ result: 42 });
    expect(toolResultToResponse("sunny")).toEqual({ result: "sunny" });
  });
});

describe("close codes and durations", () => {
  test("1007 and 1008 are not retryable; 1000, 1001, 1006 are; 1011 is by its reason (quota, key: not)", () => {
    expect([1007, 1008].map((code) => isRetryableClose(code))).toEqual([false, false]);
    expect([1000, 1001, 1006].map((code) => isRetryableClose(code))).toEqual([true, true, true]);
    expect(isRetryableClose(1011, "Internal error occurred.")).toBe(true);
    expect(isRetryableClose(1011, "The service is currently unavailable.")).toBe(true);
    expect(isRetryableClose(1011, "Deadline expired before operation could complete.")).toBe(true);
    expect(isRetryableClose(1011, "You exceeded your current quota, please check your plan and billing details.")).toBe(
      false,
    );
    expect(isRetryableClose(1011, "RESOURCE_EXHAUSTED")).toBe(false);
    expect(isRetryableClose(1011, "API key not valid. Please pass a valid API key.")).toBe(false);
  });
  test("protobuf durations", () => {
    expect(parseDurationMs("50s")).toBe(50_000);
    expect(parseDurationMs("1.5s")).toBe(1500);
    expect(parseDurationMs("soon")).toBeUndefined();
    expect(parseDurationMs(undefined)).toBeUndefined();
  });
});
