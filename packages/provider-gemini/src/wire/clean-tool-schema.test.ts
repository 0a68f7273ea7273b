import { describe, expect, test } from "bun:test";
import { cleanToolSchema } from "./clean-tool-schema.ts";

describe("cleanToolSchema", () => {
  test("strips $schema, additionalProperties, default, title and unknown keywords; upper-cases types", () => {
    expect(
      cleanToolSchema({
        $schema: "http://json-schema.org/draft-07/schema#",
        title: "Args",
        type: "object",
        additionalProperties: false,
        properties: { city: { type: "string", default: "Paris", title: "City", examples: ["x"] } },
        required: ["city"],
      }),
    ).toEqual({ type: "OBJECT", properties: { city: { type: "STRING" } }, required: ["city"] });
  });

  test("anyOf [X, null] and oneOf fold to X + nullable", () => {
    expect(cleanToolSchema({ anyOf: [{ type: "integer", minimum: 1 }, { type: "null" }] })).toEqual({
      type: "INTEGER",
      minimum: 1,
      nullable: true,
    });
    expect(cleanToolSchema({ oneOf: [{ type: "null" }, { type: "array", items: { type: "string" } }] })).toEqual({
      type: "ARRAY",
      items: { type: "STRING" },
      nullable: true,
    });
  });

  test("type lists fold: [X, null] → X nullable; [X, Y] → anyOf", () => {
    expect(cleanToolSchema({ type: ["string", "null"] })).toEqual({ type: "STRING", nullable: true });
    expect(cleanToolSchema({ type: ["string", "number"] })).toEqual({
      anyOf: [{ type: "STRING" }, { type: "NUMBER" }],
    });
  });

  test("nested: properties, items, multi-branch anyOf; const → enum; input untouched", () => {
    const input = {
      type: "object",
      properties: {
        tags: { type: "array", items: { anyOf: [{ type: "string" }, { type: "number" }, { type: "null" }] } },
        kind: { const: "a" },
      },
    };
    const copy = structuredClone(input);
    expect(cleanToolSchema(input)).toEqual({
      type: "OBJECT",
      properties: {
        tags: { type: "ARRAY", items: { anyOf: [{ type: "STRING" }, { type: "NUMBER" }], nullable: true } },
        kind: { enum: ["a"], type: "STRING" },
      },
    });
    expect(input).toEqual(copy);
  });

  test("non-objects become an empty schema", () => {
    expect(cleanToolSchema(undefined)).toEqual({});
    expect(cleanToolSchema("x")).toEqual({});
  });
});
