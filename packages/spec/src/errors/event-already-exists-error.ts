import { RoomKitError, type RoomKitErrorOptions } from "./roomkit-error.ts";

/** A store was asked to append an event whose id is already stored in that room; nothing was written. */
export class EventAlreadyExistsError extends RoomKitError {
  constructor(options: RoomKitErrorOptions | string) {
    const resolved = typeof options === "string" ? { message: options } : options;
    super({ code: "event_already_exists", ...resolved });
  }
}
