import { RoomKitError, type RoomKitErrorOptions } from "./roomkit-error.ts";

/** A room with this id already exists (`createRoom`, or a store asked to create it twice). */
export class RoomAlreadyExistsError extends RoomKitError {
  constructor(options: RoomKitErrorOptions | string) {
    const resolved = typeof options === "string" ? { message: options } : options;
    super({ code: "room_already_exists", ...resolved });
  }
}
