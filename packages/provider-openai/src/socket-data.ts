import type { Logger } from "@roomkit/spec";
import type { OpenAIConnectionStats } from "./connection-events.ts";

/** The text of a frame delivered as bytes (a server should send text frames; some proxies do not). */
export function textOf(data: unknown): string | undefined {
  if (data instanceof Uint8Array) return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("utf8");
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString("utf8");
  if (Array.isArray(data) && data.every((part) => part instanceof Uint8Array)) return Buffer.concat(data).toString();
  return undefined;
}

/** The text of a server frame, or undefined when it is not text or larger than `maxBytes` (counted, logged). */
export function acceptFrame(
  data: unknown,
  maxBytes: number,
  stats: OpenAIConnectionStats,
  logger: Logger,
): string | undefined {
  const text = typeof data === "string" ? data : textOf(data);
  if (text === undefined) {
    stats.invalidFrames++;
    logger.warn("OpenAI Realtime: dropped a non-text frame");
  } else if (text.length > maxBytes) {
    stats.oversizedFrames++;
    logger.warn("OpenAI Realtime: dropped an oversized frame", { bytes: text.length });
    return undefined;
  }
  return text;
}
