import { RoomKitError, type RoomKitErrorOptions } from "./roomkit-error.ts";

/** An error in a caller-side transport. `recoverable: false` ends the session. */
export class TransportError extends RoomKitError {
  constructor(options: RoomKitErrorOptions | string) {
    const resolved = typeof options === "string" ? { message: options } : options;
    super({ code: "transport_error", ...resolved });
  }
}
