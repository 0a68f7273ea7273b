import { expect, test } from "bun:test";
import { createConsoleLogger, createRecordingLogger, isLogger, LOGGER_ACCEPTED, silentLogger } from "./logger.ts";

test("isLogger: console and spec's loggers are Loggers; a partial one or a non-object is not", () => {
  for (const logger of [console, silentLogger, createRecordingLogger(), createConsoleLogger({ level: "silent" })]) {
    expect(isLogger(logger)).toBe(true);
  }
  const noop = () => {};
  expect(isLogger({ warn: noop })).toBe(false);
  expect(isLogger({ warn: noop, error: noop })).toBe(false);
  expect(isLogger({ debug: noop, info: noop, warn: noop, error: "stderr" })).toBe(false);
  expect(isLogger(console.log)).toBe(false);
  expect(isLogger(undefined)).toBe(false);
  expect(LOGGER_ACCEPTED).toContain("debug, info, warn, error");
});
