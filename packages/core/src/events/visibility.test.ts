import { describe, expect, test } from "bun:test";
import { visibilityAllows } from "./visibility.ts";

const transport = { channelId: "sms", category: "transport" as const };
const intelligence = { channelId: "ai", category: "intelligence" as const };

describe("visibilityAllows", () => {
  test("keywords", () => {
    expect(visibilityAllows("all", transport)).toBe(true);
    expect(visibilityAllows("none", transport)).toBe(false);
    expect(visibilityAllows("internal", intelligence)).toBe(false);
    expect(visibilityAllows("transport", transport)).toBe(true);
    expect(visibilityAllows("transport", intelligence)).toBe(false);
    expect(visibilityAllows("intelligence", intelligence)).toBe(true);
    expect(visibilityAllows("intelligence", transport)).toBe(false);
  });

  test("a channel id or a comma-separated list of ids", () => {
    expect(visibilityAllows("sms", transport)).toBe(true);
    expect(visibilityAllows("sms", intelligence)).toBe(false);
    expect(visibilityAllows("ai, sms", transport)).toBe(true);
    expect(visibilityAllows("ai,web", transport)).toBe(false);
  });
});
