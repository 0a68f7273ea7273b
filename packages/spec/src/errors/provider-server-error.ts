import { ProviderError } from "./provider-error.ts";
import type { RoomKitErrorOptions } from "./roomkit-error.ts";

/**
 * The service failed on its side: an internal error (OpenAI `server_error`, Gemini close 1011), a failed response
 * or a failed transcription of the caller's audio.
 */
export class ProviderServerError extends ProviderError {
  constructor(options: RoomKitErrorOptions | string) {
    const resolved = typeof options === "string" ? { message: options } : options;
    super({ code: "provider_server_error", ...resolved });
  }
}
