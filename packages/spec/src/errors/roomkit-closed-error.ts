import { RoomKitError, type RoomKitErrorOptions } from "./roomkit-error.ts";

/** A call on a RoomKit after `close()`. */
export class RoomKitClosedError extends RoomKitError {
  constructor(options: RoomKitErrorOptions | string) {
    const resolved = typeof options === "string" ? { message: options } : options;
    super({ code: "roomkit_closed", ...resolved });
  }
}
