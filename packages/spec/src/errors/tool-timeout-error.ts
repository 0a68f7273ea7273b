import { RoomKitError, type RoomKitErrorOptions } from "./roomkit-error.ts";

/** A tool handler did not finish within its timeout. */
export class ToolTimeoutError extends RoomKitError {
  constructor(options: RoomKitErrorOptions | string) {
    const resolved = typeof options === "string" ? { message: options } : options;
    super({ code: "tool_timeout", ...resolved });
  }
}
