export { ManualClock } from "./manual-clock.ts";
export { settle } from "./settle.ts";
export { type WaitForOptions, WaitForTimeoutError, waitFor } from "./wait-for.ts";
export { type WithinOptions, WithinTimeoutError, within } from "./within.ts";
export { Notifier, type NotifierUntilOptions } from "./notifier.ts";
