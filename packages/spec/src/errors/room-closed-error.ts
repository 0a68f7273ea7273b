import { RoomKitError, type RoomKitErrorOptions } from "./roomkit-error.ts";

/** A write (send, attach) to a room whose status is closed or archived. */
export class RoomClosedError extends RoomKitError {
  constructor(options: RoomKitErrorOptions | string) {
    const resolved = typeof options === "string" ? { message: options } : options;
    super({ code: "room_closed", ...resolved });
  }
}
