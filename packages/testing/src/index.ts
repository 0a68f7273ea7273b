// Each area has its own explicit export list in its folder's index.ts.
export * from "./core/index.ts";
export * from "./mocks/index.ts";
export * from "./contract/index.ts";
export * from "./reliability/index.ts";
export * from "./fakes/openai/index.ts";
export * from "./fakes/gemini/index.ts";
export {
  ManualClock,
  Notifier,
  type NotifierUntilOptions,
  settle,
  type WaitForOptions,
  WaitForTimeoutError,
  type WithinOptions,
  WithinTimeoutError,
  waitFor,
  within,
} from "@roomkit/test-support";
