/** Results longer than this push Gemini into reading them out; they are sent but logged. */
export const LARGE_TOOL_RESULT_CHARS = 16_384;

/** The `response` object Gemini expects from a tool result string: JSON objects as is, anything else wrapped. */
export function toolResultToResponse(result: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(result);
    if (typeof value === "object" && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
    return { result: value };
  } catch {
    return { result };
  }
}
