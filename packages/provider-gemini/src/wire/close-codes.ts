/**
 * Close codes after which reconnecting is pointless: 1007 invalid payload, 1008 policy violation (bad model, key,
 * tool response). The session ends with the reason verbatim. (A 1007/1008 refusing a resumption handle is handled
 * apart: the provider starts a fresh session.)
 */
export const NON_RETRYABLE_CLOSE_CODES: ReadonlySet<number> = new Set([1007, 1008]);

/**
 * Reasons no reconnect can cure, whatever the code: quota, billing, rate limits, a refused or expired key. The
 * service sends these as 1011 too, next to transient 1011s ("Internal error occurred.", "The service is currently
 * unavailable.", "Deadline expired…") that a resume with the latest handle survives (docs/provider-protocol-notes).
 */
const FATAL_REASON =
  /quota|billing|rate.?limit|resource.?exhausted|api.?key|permission|unauthori[sz]ed|unauthenticated|forbidden/i;

/** Whether a connection closed with `code` and `reason` may be replaced by resuming the session. */
export function isRetryableClose(code: number, reason = ""): boolean {
  if (NON_RETRYABLE_CLOSE_CODES.has(code)) return false;
  return !FATAL_REASON.test(reason);
}

/** Parses a protobuf Duration string ("50s", "1.5s") into milliseconds; undefined when absent or malformed. */
export function parseDurationMs(value: unknown): number | undefined {
  if (typeof value !== "string" || value === "") return undefined;
  const match = /^(\d+(?:\.\d+)?)s$/.exec(value.trim());
  return match ? Math.round(Number(match[1]) * 1000) : undefined;
}
