import {
  ProviderAuthenticationError,
  ProviderConnectionError,
  type ProviderError,
  ProviderProtocolError,
  ProviderRateLimitError,
  ProviderServerError,
  ProviderSessionExpiredError,
} from "@roomkit/spec";

const RATE_LIMIT = /quota|rate.?limit|resource.?exhausted/i;
const AUTHENTICATION = /api.?key|permission|unauthori[sz]ed|unauthenticated|forbidden/i;
const EXPIRED = /deadline|expired/i;

/**
 * The `ProviderError` subclass for a close of the Live socket (the reason is read too: Gemini says "API key not
 * valid", "quota" or "Deadline expired" there): quota ⇒ rate limit, key/permission ⇒ authentication, 1011 with a
 * deadline ⇒ session expired, 1007/1008 ⇒ protocol (invalid payload, policy), 1011 ⇒ server, others ⇒ connection.
 * The code stays `ws_<code>` and the message is kept verbatim.
 */
export function closeToProviderError(
  closeCode: number,
  reason: string,
  options: { message: string; recoverable?: boolean; cause?: unknown },
): ProviderError {
  const init = { code: `ws_${closeCode}`, ...options };
  if (RATE_LIMIT.test(reason)) return new ProviderRateLimitError(init);
  if (AUTHENTICATION.test(reason)) return new ProviderAuthenticationError(init);
  if (closeCode === 1011 && EXPIRED.test(reason)) return new ProviderSessionExpiredError(init);
  if (closeCode === 1007 || closeCode === 1008) return new ProviderProtocolError(init);
  if (closeCode === 1011) return new ProviderServerError(init);
  return new ProviderConnectionError(init);
}

/** The non-recoverable error that ends a session: `ws_<code>` failures by their close code, the rest as connection errors. */
export function sessionEndError(code: string, message: string): ProviderError {
  const close = /^ws_(\d+)$/.exec(code);
  if (close) return closeToProviderError(Number(close[1]), message, { message, recoverable: false });
  return new ProviderConnectionError({ code, message, recoverable: false });
}
