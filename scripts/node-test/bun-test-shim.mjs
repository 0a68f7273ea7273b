// The part of `bun:test` our runtime-neutral suites use, on node:test. Unknown matchers fail loudly.
import assert from "node:assert/strict";
import { after, afterEach, before, beforeEach, describe, test } from "node:test";

export { describe, test, beforeEach, afterEach };
export const it = test;
export const beforeAll = before;
export const afterAll = after;

/** Bun's toEqual: recursive equality where undefined properties are ignored. */
function normalize(value) {
  if (Array.isArray(value)) return value.map(normalize);
  if (value instanceof Date || value instanceof RegExp || ArrayBuffer.isView(value)) return value;
  if (value && typeof value === "object") {
    const out = {};
    for (const key of Object.keys(value)) if (value[key] !== undefined) out[key] = normalize(value[key]);
    return out;
  }
  return value;
}

function checkThrown(error, expected) {
  if (expected === undefined) return;
  if (typeof expected === "function") assert.ok(error instanceof expected, `expected ${expected.name}, got ${error}`);
  else if (expected instanceof RegExp) assert.match(String(error?.message ?? error), expected);
  else assert.ok(String(error?.message ?? error).includes(String(expected)), `expected "${expected}" in ${error}`);
}

export function expect(actual) {
  return {
    toBe: (expected) => assert.ok(Object.is(actual, expected), `expected ${String(actual)} to be ${String(expected)}`),
    toEqual: (expected) => assert.deepStrictEqual(normalize(actual), normalize(expected)),
    toBeUndefined: () => assert.equal(actual, undefined),
    toBeInstanceOf: (type) => assert.ok(actual instanceof type, `expected an instance of ${type.name}`),
    toHaveLength: (length) => assert.equal(actual.length, length),
    toContain: (item) => assert.ok(actual.includes(item), `expected ${String(actual)} to contain ${String(item)}`),
    toThrow: (expected) => {
      let thrown;
      try {
        actual();
      } catch (error) {
        thrown = { error };
      }
      assert.ok(thrown, "expected a throw");
      checkThrown(thrown.error, expected);
    },
    rejects: {
      toThrow: async (expected) => {
        let thrown;
        try {
          await actual;
        } catch (error) {
          thrown = { error };
        }
        assert.ok(thrown, "expected a rejection");
        checkThrown(thrown.error, expected);
      },
    },
  };
}
