import type { OpenAIClientEvent } from "./client-events.ts";

const APPEND_PREFIX = '{"type":"input_audio_buffer.append","audio":"';
const APPEND_SUFFIX = '"}';

/** Serializes a client event to the JSON text frame the Realtime API expects. */
export function serializeClientEvent(event: OpenAIClientEvent): string {
  if (event.type === "input_audio_buffer.append" && event.event_id === undefined) {
    return serializeAppend(event.audio);
  }
  return JSON.stringify(event);
}

/**
 * The hot path: `input_audio_buffer.append` built by concatenation (base64 needs no JSON escaping), which skips
 * building an object and running `JSON.stringify` per frame.
 */
export function serializeAppend(base64Audio: string): string {
  return APPEND_PREFIX + base64Audio + APPEND_SUFFIX;
}
