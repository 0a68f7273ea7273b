import { ProviderError } from "./provider-error.ts";
import type { RoomKitErrorOptions } from "./roomkit-error.ts";

/**
 * The provider connection could not be opened, was dropped, or was closed and could not be re-established
 * (socket drop, timeout, reconnect attempts exhausted, a send on a dead socket).
 */
export class ProviderConnectionError extends ProviderError {
  constructor(options: RoomKitErrorOptions | string) {
    const resolved = typeof options === "string" ? { message: options } : options;
    super({ code: "provider_connection_error", ...resolved });
  }
}
