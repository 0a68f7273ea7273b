import { describe, expect, test } from "bun:test";
import { errorResult, serializeToolResult, truncateToolResult } from "./tool-result.ts";
import { validateArguments } from "./validate-arguments.ts";

describe("validateArguments", () => {
  const schema = {
    type: "object",
    properties: {
      city: { type: "string", minLength: 2 },
      days: { type: "integer", minimum: 1, maximum: 7 },
      unit: { enum: ["c", "f"] },
      tags: { type: "array", items: { type: "string" }, maxItems: 2 },
      note: { type: ["string", "null"] },
    },
    required: ["city"],
    additionalProperties: false,
  };
  test.each([
    [{ city: "NYC" }, undefined],
    [{ city: "NYC", days: 3, unit: "c", tags: ["a"], note: null }, undefined],
    [{}, "arguments.city is required"],
    [{ city: 5 }, "arguments.city must be string, got number"],
    [{ city: "N" }, "arguments.city is too short"],
    [{ city: "NYC", days: 1.5 }, "arguments.days must be integer, got number"],
    [{ city: "NYC", days: 9 }, "arguments.days must be ≤ 7"],
    [{ city: "NYC", unit: "k" }, 'arguments.unit must be one of ["c","f"]'],
    [{ city: "NYC", tags: ["a", 1] }, "arguments.tags[1] must be string, got number"],
    [{ city: "NYC", extra: true }, "arguments.extra is not allowed"],
  ])("%j ⇒ %p", (value, problem) => {
    expect(validateArguments(schema, value)).toBe(problem as string | undefined);
  });
  test("no schema, anyOf and nullable", () => {
    expect(validateArguments(undefined, { anything: 1 })).toBeUndefined();
    expect(validateArguments({ anyOf: [{ type: "string" }, { type: "number" }] }, true)).toContain(
      "none of the allowed",
    );
    expect(validateArguments({ type: "string", nullable: true }, null)).toBeUndefined();
  });
});

describe("tool results", () => {
  test("serialisation: strings as-is, objects as JSON, undefined as ok, cycles as an error", () => {
    expect(serializeToolResult("plain")).toBe("plain");
    expect(serializeToolResult({ a: 1 })).toBe('{"a":1}');
    expect(serializeToolResult(undefined)).toBe('{"status":"ok"}');
    expect(serializeToolResult(10n)).toBe('"10"');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(JSON.parse(serializeToolResult(cyclic)).error).toContain("not serialisable");
    expect(errorResult("x")).toBe('{"error":"x"}');
  });
  test("truncation is exact for every max length", () => {
    for (const max of [1, 50, 120, 500, 16384]) {
      const result = truncateToolResult("y".repeat(20_000), max);
      expect(result.length).toBe(max);
    }
    expect(truncateToolResult("short", 500)).toBe("short");
  });
});
