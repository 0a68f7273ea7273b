import { RoomKitError, type RoomKitErrorOptions } from "./roomkit-error.ts";

/** A hook threw, timed out or returned an invalid result. */
export class HookError extends RoomKitError {
  constructor(options: RoomKitErrorOptions | string) {
    const resolved = typeof options === "string" ? { message: options } : options;
    super({ code: "hook_error", ...resolved });
  }
}
