import { RoomKitError, type RoomKitErrorOptions } from "./roomkit-error.ts";

/**
 * A conversation store failed (I/O, SQLite, a value it cannot store); `cause` holds the driver's error.
 * `recoverable: true` when retrying may succeed (the database was busy or locked).
 */
export class StoreError extends RoomKitError {
  constructor(options: RoomKitErrorOptions | string) {
    const resolved = typeof options === "string" ? { message: options } : options;
    super({ code: "store_error", ...resolved });
  }
}
