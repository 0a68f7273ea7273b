/** Serialises a handler or hook result: strings as-is, anything else as JSON (never throws). */
export function serializeToolResult(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === undefined) return JSON.stringify({ status: "ok" });
  try {
    const text = JSON.stringify(value, (_key, item) => (typeof item === "bigint" ? item.toString() : item));
    return text ?? JSON.stringify({ status: "ok" });
  } catch (error) {
    return JSON.stringify({ error: `Tool result is not serialisable: ${(error as Error)?.message ?? String(error)}` });
  }
}

export function errorResult(message: string): string {
  return JSON.stringify({ error: message });
}

/**
 * Cuts a result longer than `maxLength` to exactly `maxLength` characters: the head plus a notice saying how long
 * the original was.
 */
export function truncateToolResult(result: string, maxLength: number): string {
  if (result.length <= maxLength) return result;
  const notice = `\n... [truncated — original result was ${result.length} chars. The full content has been delivered to the client.]`;
  if (notice.length >= maxLength) return notice.slice(0, maxLength);
  return result.slice(0, maxLength - notice.length) + notice;
}
