import { RoomKitError, type RoomKitErrorOptions } from "./roomkit-error.ts";

/** The caller-side connection is closed. */
export class TransportClosedError extends RoomKitError {
  constructor(options: RoomKitErrorOptions | string) {
    const resolved = typeof options === "string" ? { message: options } : options;
    super({ code: "transport_closed", ...resolved });
  }
}
