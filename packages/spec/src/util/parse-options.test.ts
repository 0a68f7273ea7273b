import { describe, expect, test } from "bun:test";
import { InvalidArgumentError } from "../errors/invalid-argument-error.ts";
import { RoomKitConfigError } from "../errors/roomkit-config-error.ts";
import { formatIssuePath, parseOptions, type StandardSchemaV1 } from "./parse-options.ts";

/** A hand-written Standard Schema: `{ rate: 8000 | 16000 }` (spec has no schema library). */
const rateSchema: StandardSchemaV1<unknown, { rate: number }> = {
  "~standard": {
    version: 1,
    vendor: "test",
    validate(value) {
      const rate = (value as { rate?: unknown } | undefined)?.rate;
      if (rate === 8000 || rate === 16000) return { value: { rate } };
      return { issues: [{ message: `expected 8000 or 16000, received ${String(rate)}`, path: [{ key: "rate" }] }] };
    },
  },
};

describe("parseOptions", () => {
  test("returns the parsed value", () => {
    expect(parseOptions("Thing", rateSchema, { rate: 8000 })).toEqual({ rate: 8000 });
  });

  test("throws RoomKitConfigError naming the component, the field, the problem and the accepted values", () => {
    let caught: unknown;
    try {
      parseOptions("Thing", rateSchema, { rate: 11025 }, { rate: "8000 | 16000" });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(RoomKitConfigError);
    expect(caught).toBeInstanceOf(InvalidArgumentError);
    const error = caught as RoomKitConfigError;
    expect(error.component).toBe("Thing");
    expect(error.field).toBe("rate");
    expect(error.accepted).toBe("8000 | 16000");
    expect(error.code).toBe("invalid_config");
    expect(error.message).toBe('Thing: option "rate": expected 8000 or 16000, received 11025 (accepted: 8000 | 16000)');
  });

  test("an async schema is refused (options are validated synchronously in constructors)", () => {
    const asyncSchema: StandardSchemaV1 = {
      "~standard": { version: 1, vendor: "test", validate: async (value) => ({ value }) },
    };
    expect(() => parseOptions("Thing", asyncSchema, {})).toThrow("synchronously");
  });

  test("formatIssuePath joins keys and indexes", () => {
    expect(formatIssuePath(["tools", 2, { key: "name" }])).toBe("tools[2].name");
    expect(formatIssuePath(undefined)).toBe("");
  });
});
