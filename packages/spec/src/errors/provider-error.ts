import { RoomKitError, type RoomKitErrorOptions } from "./roomkit-error.ts";

/** An error reported by a realtime AI provider. `recoverable: false` ends the session. */
export class ProviderError extends RoomKitError {
  constructor(options: RoomKitErrorOptions | string) {
    const resolved = typeof options === "string" ? { message: options } : options;
    super({ code: "provider_error", ...resolved });
  }
}
