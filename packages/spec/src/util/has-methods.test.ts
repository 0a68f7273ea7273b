import { expect, test } from "bun:test";
import { hasMethods } from "./has-methods.ts";
import { createRecordingLogger, LOGGER_METHODS, silentLogger } from "./logger.ts";

test("hasMethods: an object with every named method; not null, primitives, or non-function members", () => {
  expect(hasMethods({ now: () => 0, setTimeout: () => 1 }, ["now", "setTimeout"])).toBe(true);
  expect(hasMethods({ now: () => 0 }, ["now", "setTimeout"])).toBe(false);
  expect(hasMethods({ now: 0, setTimeout: () => 1 }, ["now", "setTimeout"])).toBe(false);
  expect(hasMethods(null, ["now"])).toBe(false);
  expect(hasMethods(() => 0, ["call"])).toBe(false);
  expect(hasMethods("now", ["length"])).toBe(false);
});

test("LOGGER_METHODS: spec's loggers have them all; a warn-only object is not a Logger", () => {
  expect(hasMethods(silentLogger, LOGGER_METHODS)).toBe(true);
  expect(hasMethods(createRecordingLogger(), LOGGER_METHODS)).toBe(true);
  expect(hasMethods(console, LOGGER_METHODS)).toBe(true);
  expect(hasMethods({ warn() {} }, LOGGER_METHODS)).toBe(false);
});
