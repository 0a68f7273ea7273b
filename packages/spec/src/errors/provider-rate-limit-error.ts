import { ProviderError } from "./provider-error.ts";
import type { RoomKitErrorOptions } from "./roomkit-error.ts";

/** The provider refused work for rate limits or an exhausted quota (e.g. `rate_limit_exceeded`, `RESOURCE_EXHAUSTED`). */
export class ProviderRateLimitError extends ProviderError {
  constructor(options: RoomKitErrorOptions | string) {
    const resolved = typeof options === "string" ? { message: options } : options;
    super({ code: "provider_rate_limited", ...resolved });
  }
}
