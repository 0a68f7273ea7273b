import { isLogger, type Logger } from "@roomkit/spec";
import { z } from "zod";

/** The `logger` option of the transport and the adapters: spec's Logger check (all four methods). */
export const loggerOption = z.custom<Logger>(isLogger, { message: "expected a Logger" });
