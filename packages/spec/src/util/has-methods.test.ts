import { expect, test } from "bun:test";
import { hasMethods } from "./has-methods.ts";

test("hasMethods: an object with every named method; not null, primitives, or non-function members", () => {
  expect(hasMethods({ now: () => 0, setTimeout: () => 1 }, ["now", "setTimeout"])).toBe(true);
  expect(hasMethods({ now: () => 0 }, ["now", "setTimeout"])).toBe(false);
  expect(hasMethods({ now: 0, setTimeout: () => 1 }, ["now", "setTimeout"])).toBe(false);
  expect(hasMethods(null, ["now"])).toBe(false);
  expect(hasMethods(() => 0, ["call"])).toBe(false);
  expect(hasMethods("now", ["length"])).toBe(false);
});
