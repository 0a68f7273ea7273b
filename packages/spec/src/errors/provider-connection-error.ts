import { RoomKitError, type RoomKitErrorOptions } from "./roomkit-error.ts";

/** The provider connection could not be opened or was lost. */
export class ProviderConnectionError extends RoomKitError {
  constructor(options: RoomKitErrorOptions | string) {
    const resolved = typeof options === "string" ? { message: options } : options;
    super({ code: "provider_connection_error", ...resolved });
  }
}
