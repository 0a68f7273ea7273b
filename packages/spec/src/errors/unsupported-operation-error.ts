import { RoomKitError, type RoomKitErrorOptions } from "./roomkit-error.ts";

/** The provider or transport does not support this operation. */
export class UnsupportedOperationError extends RoomKitError {
  constructor(options: RoomKitErrorOptions | string) {
    const resolved = typeof options === "string" ? { message: options } : options;
    super({ code: "unsupported_operation", ...resolved });
  }
}
