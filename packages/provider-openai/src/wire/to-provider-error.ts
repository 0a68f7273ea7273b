import {
  ProviderAuthenticationError,
  type ProviderError,
  ProviderProtocolError,
  ProviderRateLimitError,
  ProviderServerError,
  ProviderSessionExpiredError,
} from "@roomkit/spec";
import type { OpenAIErrorInfo } from "./server-events.ts";

const RATE_LIMIT_CODES = new Set(["rate_limit_exceeded", "insufficient_quota"]);
const AUTHENTICATION_CODES = new Set(["invalid_api_key", "unauthorized", "forbidden"]);

/**
 * The `ProviderError` subclass for an error the Realtime API reports (an `error` event, a failed `response.done`, a
 * failed transcription): `session_expired` ⇒ session expired, rate limits and quota ⇒ rate limit, key or
 * permission ⇒ authentication, `invalid_request_error` ⇒ protocol, `server_error`, failed transcriptions and
 * responses and any other type ⇒ server. The
 * server's code and message are kept.
 */
export function toProviderError(error: OpenAIErrorInfo, recoverable: boolean): ProviderError {
  const init = { code: error.code, message: error.message, recoverable };
  const type = error.errorType;
  if (error.code === "session_expired") return new ProviderSessionExpiredError(init);
  if (RATE_LIMIT_CODES.has(error.code) || type === "rate_limit_error" || type === "insufficient_quota") {
    return new ProviderRateLimitError(init);
  }
  if (AUTHENTICATION_CODES.has(error.code) || type === "authentication_error" || type === "permission_error") {
    return new ProviderAuthenticationError(init);
  }
  if (type === "invalid_request_error") return new ProviderProtocolError(init);
  return new ProviderServerError(init);
}
