import { RoomKitError, type RoomKitErrorOptions } from "@roomkit/spec";

/** `createRoom` with the id of an existing room. */
export class RoomAlreadyExistsError extends RoomKitError {
  constructor(options: RoomKitErrorOptions | string) {
    const resolved = typeof options === "string" ? { message: options } : options;
    super({ code: "room_already_exists", ...resolved });
  }
}

/** A write (send, attach) to a room whose status is closed or archived. */
export class RoomClosedError extends RoomKitError {
  constructor(options: RoomKitErrorOptions | string) {
    const resolved = typeof options === "string" ? { message: options } : options;
    super({ code: "room_closed", ...resolved });
  }
}

/** A call on a RoomKit after `close()`. */
export class RoomKitClosedError extends RoomKitError {
  constructor(options: RoomKitErrorOptions | string) {
    const resolved = typeof options === "string" ? { message: options } : options;
    super({ code: "roomkit_closed", ...resolved });
  }
}
