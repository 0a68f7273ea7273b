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

/** Deepest nesting `storedJson` accepts (Node's own JSON.stringify overflows its stack near 2,000 levels). */
export const MAX_STORED_DEPTH = 512;

/**
 * `JSON.stringify` for what the SQLite store writes, after a walk that refuses (with `InvalidArgumentError`) a value
 * containing a cycle or nested deeper than `MAX_STORED_DEPTH`. Found by scripts/fuzz: on Bun, `JSON.stringify` of a
 * cyclic value with a deep branch takes seconds before it throws (2.8 s for 1,000 levels), and 20,000 levels took
 * 0.1–0.5 s; the walk refuses both in microseconds. Costs one pass over the value (a few µs for an event).
 */
export function storedJson(value: unknown, field: string): string {
  checkShape(value, field, new Set(), 0);
  return JSON.stringify(value);
}

function checkShape(value: unknown, field: string, ancestors: Set<object>, depth: number): void {
  if (value === null || typeof value !== "object") return;
  if (depth >= MAX_STORED_DEPTH) {
    throw new InvalidArgumentError(`${field} is nested deeper than ${MAX_STORED_DEPTH} levels`);
  }
  if (ancestors.has(value)) throw new InvalidArgumentError(`${field} contains a cycle`);
  ancestors.add(value);
  if (Array.isArray(value)) {
    for (const item of value) checkShape(item, field, ancestors, depth + 1);
  } else {
    for (const key of Object.keys(value))
      checkShape((value as Record<string, unknown>)[key], field, ancestors, depth + 1);
  }
  ancestors.delete(value);
}
