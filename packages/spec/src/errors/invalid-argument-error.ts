import { RoomKitError, type RoomKitErrorOptions } from "./roomkit-error.ts";

/** A user-supplied option or argument is invalid; the message names the field. */
export class InvalidArgumentError extends RoomKitError {
  constructor(options: RoomKitErrorOptions | string) {
    const resolved = typeof options === "string" ? { message: options } : options;
    super({ code: "invalid_argument", ...resolved });
  }
}
