import { ProviderError } from "./provider-error.ts";
import type { RoomKitErrorOptions } from "./roomkit-error.ts";

/**
 * A message one side could not accept: the service refused a client event as invalid (OpenAI
 * `invalid_request_error`, Gemini close 1007 "invalid payload" or 1008 "policy violation"), or sent a frame that
 * breaks the protocol.
 */
export class ProviderProtocolError extends ProviderError {
  constructor(options: RoomKitErrorOptions | string) {
    const resolved = typeof options === "string" ? { message: options } : options;
    super({ code: "provider_protocol_error", ...resolved });
  }
}
