import type { RoomKitErrorOptions } from "./roomkit-error.ts";
import { StoreError } from "./store-error.ts";

/** A conversation store was used after `close()`. Not recoverable: open a new store. */
export class StoreClosedError extends StoreError {
  constructor(options: RoomKitErrorOptions | string) {
    const resolved = typeof options === "string" ? { message: options } : options;
    super({ code: "store_closed", ...resolved, recoverable: false });
  }
}
