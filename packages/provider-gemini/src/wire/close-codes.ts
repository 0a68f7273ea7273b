/**
 * Close codes after which reconnecting is pointless: 1007 invalid payload, 1008 policy violation (bad model, key,
 * tool response), 1011 internal error / deadline expired. The session ends with the reason verbatim.
 */
export const NON_RETRYABLE_CLOSE_CODES: ReadonlySet<number> = new Set([1007, 1008, 1011]);

export function isRetryableClose(code: number): boolean {
  return !NON_RETRYABLE_CLOSE_CODES.has(code);
}

/** Parses a protobuf Duration string ("50s", "1.5s") into milliseconds; undefined when absent or malformed. */
export function parseDurationMs(value: unknown): number | undefined {
  if (typeof value !== "string" || value === "") return undefined;
  const match = /^(\d+(?:\.\d+)?)s$/.exec(value.trim());
  return match ? Math.round(Number(match[1]) * 1000) : undefined;
}
