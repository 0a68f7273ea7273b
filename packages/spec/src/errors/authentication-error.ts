import { RoomKitError, type RoomKitErrorOptions } from "./roomkit-error.ts";

/** A caller failed authentication; nothing reached the provider. */
export class AuthenticationError extends RoomKitError {
  constructor(options: RoomKitErrorOptions | string) {
    const resolved = typeof options === "string" ? { message: options } : options;
    super({ code: "authentication_failed", ...resolved });
  }
}
