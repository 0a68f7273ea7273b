import { ProviderError } from "./provider-error.ts";
import type { RoomKitErrorOptions } from "./roomkit-error.ts";

/** The provider refused the credentials or their permissions (HTTP 401/403, an invalid or unauthorised API key). */
export class ProviderAuthenticationError extends ProviderError {
  constructor(options: RoomKitErrorOptions | string) {
    const resolved = typeof options === "string" ? { message: options } : options;
    super({ code: "provider_authentication_failed", ...resolved });
  }
}
