import { RoomKitError, type RoomKitErrorOptions } from "./roomkit-error.ts";

/** The room does not exist. */
export class RoomNotFoundError extends RoomKitError {
  constructor(options: RoomKitErrorOptions | string) {
    const resolved = typeof options === "string" ? { message: options } : options;
    super({ code: "room_not_found", ...resolved });
  }
}
