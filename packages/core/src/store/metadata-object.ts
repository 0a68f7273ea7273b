import { InvalidArgumentError } from "@roomkit/spec";

/**
 * The metadata of a room or binding as the stores keep it: a plain object (undefined ⇒ `{}`). Anything else is refused
 * with `InvalidArgumentError` before it is copied: spreading a 300,000-character string made one key per character
 * (found by scripts/fuzz, 0.1–1 s per call).
 */
export function metadataObject(value: unknown, field: string): Record<string, unknown> {
  if (value === undefined) return {};
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    const kind = value === null ? "null" : Array.isArray(value) ? "an array" : typeof value;
    throw new InvalidArgumentError(`${field} must be an object, got ${kind}`);
  }
  return value as Record<string, unknown>;
}
