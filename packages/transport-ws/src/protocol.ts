import { encodeBase64 } from "@roomkit/audio";
import { safeParseJson } from "@roomkit/spec";

/**
 * The wire protocol (seed, "WebSocket Transport").
 * Client → server: binary frame = raw PCM16 LE mono at the session input rate, or text
 * `{"type":"audio","data":"<base64 PCM16>"}`; plus our own optional `{"type":"playback","played_ms":N}`.
 * Server → client: `{"type":"audio","data":"<base64>"}` (or binary frames in `binary` mode), and the control
 * messages `transcription`, `speaking`, `clear_audio`, `session_started`, `session_ended` (+ `tool_call`, `error`).
 */
export type AudioFormat = "base64_json" | "binary";

export type ClientMessage = { type: "audio"; data: string } | { type: "playback"; played_ms: number };

export type ParsedClientMessage =
  | { kind: "audio"; base64: string }
  | { kind: "playback"; playedMs: number }
  | { kind: "invalid_json"; error: string }
  | { kind: "invalid_message"; reason: string }
  | { kind: "unknown_type"; type: string };

/** Parses one text frame from a client. Never throws. */
export function parseClientMessage(text: string): ParsedClientMessage {
  const parsed = safeParseJson(text);
  if (!parsed.success) return { kind: "invalid_json", error: parsed.error.message };
  const value = parsed.value;
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return { kind: "invalid_message", reason: "not an object" };
  }
  const message = value as Record<string, unknown>;
  const type = message.type;
  if (type === "audio") {
    const data = message.data;
    if (typeof data !== "string") return { kind: "invalid_message", reason: "audio.data is not a string" };
    return { kind: "audio", base64: data };
  }
  if (type === "playback") {
    const playedMs = message.played_ms;
    if (typeof playedMs !== "number" || !Number.isFinite(playedMs) || playedMs < 0) {
      return { kind: "invalid_message", reason: "playback.played_ms is not a non-negative number" };
    }
    return { kind: "playback", playedMs };
  }
  return { kind: "unknown_type", type: typeof type === "string" ? type.slice(0, 64) : String(typeof type) };
}

/** Upper bound on decoded bytes for a base64 string (no decoding). */
export function base64DecodedLength(base64: string): number {
  return Math.floor((base64.length * 3) / 4);
}

/** Encodes PCM bytes as the server's `audio` JSON text frame. */
export function encodeAudioMessage(audio: Uint8Array): string {
  return `{"type":"audio","data":"${encodeBase64(audio)}"}`;
}
