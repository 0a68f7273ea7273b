import { hasMethods, isLogger, type Logger } from "@roomkit/spec";
import { z } from "zod";

// Duck-typed checks for the objects users pass in (stores, loggers, clocks, callbacks): methods, not classes.

export const storeShape = z.custom<object>((value) => hasMethods(value, ["appendEvent", "getRoom"]), {
  message: "expected a ConversationStore",
});
export const busShape = z.custom<object>((value) => hasMethods(value, ["publish", "subscribe", "close"]), {
  message: "expected a RoomEventBus",
});
/** Spec's one Logger check (all four methods), as everywhere else. */
export const loggerShape = z.custom<Logger>(isLogger, { message: "expected a Logger" });
export const clockShape = z.custom<object>((value) => hasMethods(value, ["now", "setTimeout"]), {
  message: "expected a Clock",
});
export const functionShape = z.custom<(...args: never[]) => unknown>((value) => typeof value === "function", {
  message: "expected a function",
});
export const hookRegistryShape = z.custom<object>((value) => hasMethods(value, ["select", "hasHooks"]), {
  message: "expected a HookRegistry",
});
