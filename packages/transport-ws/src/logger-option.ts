import { hasMethods, LOGGER_METHODS, type Logger } from "@roomkit/spec";
import { z } from "zod";

/** The `logger` option of the transport and the adapters: spec's duck-typed Logger check (all four methods). */
export const loggerOption = z.custom<Logger>((value) => hasMethods(value, LOGGER_METHODS), {
  message: "expected a Logger",
});

export const LOGGER_ACCEPTED = "a Logger ({ debug, info, warn, error })";
