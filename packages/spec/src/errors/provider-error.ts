import { RoomKitError, type RoomKitErrorOptions } from "./roomkit-error.ts";

/**
 * An error reported by a realtime AI provider (through `onError`) or thrown by one. `recoverable: false` means the
 * provider connection is gone and the channel ends the session. Subclasses say what kind of fault it is; `code`
 * keeps the provider's own code (e.g. `session_expired`, `ws_1008`) and `cause` the underlying error, if any.
 */
export class ProviderError extends RoomKitError {
  constructor(options: RoomKitErrorOptions | string) {
    const resolved = typeof options === "string" ? { message: options } : options;
    super({ code: "provider_error", ...resolved });
  }
}
