import { InvalidArgumentError } from "@roomkit/spec";

/**
 * What the stores accept from the application before they copy or print it (both stores). Found by scripts/fuzz:
 * spreading a 300,000-character string as metadata made one key per character (0.1–1 s per call), and an id whose
 * string conversion throws (an array holding an object without a prototype) escaped as a TypeError from the error
 * message meant to report it.
 */

/** Room or binding metadata: a plain object (undefined ⇒ `{}`); anything else ⇒ `InvalidArgumentError`. */
export function metadataObject(value: unknown, field: string): Record<string, unknown> {
  if (value === undefined) return {};
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    const kind = value === null ? "null" : Array.isArray(value) ? "an array" : typeof value;
    throw new InvalidArgumentError(`${field} must be an object, got ${kind}`);
  }
  return value as Record<string, unknown>;
}

const MAX_ID_CHARS = 200;

/** An id as error messages show it: never throws, at most 200 characters (a huge id does not bloat logs). */
export function idText(value: unknown): string {
  let text: string;
  try {
    text = typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));
  } catch {
    text = `<${typeof value}>`;
  }
  return text.length > MAX_ID_CHARS ? `${text.slice(0, MAX_ID_CHARS)}… (${text.length} chars)` : text;
}
