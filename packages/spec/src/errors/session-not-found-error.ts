import { RoomKitError, type RoomKitErrorOptions } from "./roomkit-error.ts";

/** No active voice session has this id. */
export class SessionNotFoundError extends RoomKitError {
  constructor(options: RoomKitErrorOptions | string) {
    const resolved = typeof options === "string" ? { message: options } : options;
    super({ code: "session_not_found", ...resolved });
  }
}
