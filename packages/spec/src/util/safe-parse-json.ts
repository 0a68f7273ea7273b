export type SafeParseJsonResult = { success: true; value: unknown } | { success: false; error: Error };

/** Parses JSON from the network without throwing. */
export function safeParseJson(text: string): SafeParseJsonResult {
  try {
    return { success: true, value: JSON.parse(text) };
  } catch (error) {
    return { success: false, error: error instanceof Error ? error : new Error(String(error)) };
  }
}
