import type { HookTrigger } from "../hooks/hook-trigger.ts";
import { HookError } from "./hook-error.ts";

export interface HookTimeoutErrorOptions {
  /** The hook's registered name. */
  hookName: string;
  trigger: HookTrigger;
  /** The hook's timeout (its registration's `timeout`). */
  timeoutMs: number;
}

/**
 * A hook did not settle within its timeout. A sync hook that times out is skipped (its error is in the outcome's
 * `errors`), except on a fail-closed trigger, where it blocks. It is a `HookError` with code `hook_timeout`.
 */
export class HookTimeoutError extends HookError {
  readonly hookName: string;
  readonly trigger: HookTrigger;
  readonly timeoutMs: number;

  constructor(options: HookTimeoutErrorOptions) {
    super({ code: "hook_timeout", message: `hook ${options.hookName} timed out after ${options.timeoutMs} ms` });
    this.hookName = options.hookName;
    this.trigger = options.trigger;
    this.timeoutMs = options.timeoutMs;
  }
}
