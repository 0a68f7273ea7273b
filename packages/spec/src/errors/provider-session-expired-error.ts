import { ProviderError } from "./provider-error.ts";
import type { RoomKitErrorOptions } from "./roomkit-error.ts";

/**
 * The server-side session reached its time limit, or could not be resumed: the provider opens a new one when it can
 * (`recoverable: true`, context may be lost), otherwise the session ends.
 */
export class ProviderSessionExpiredError extends ProviderError {
  constructor(options: RoomKitErrorOptions | string) {
    const resolved = typeof options === "string" ? { message: options } : options;
    super({ code: "provider_session_expired", ...resolved });
  }
}
