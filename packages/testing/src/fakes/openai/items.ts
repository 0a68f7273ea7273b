import type { StoredItem } from "./conversation.ts";
import type { SessionObject } from "./session-config.ts";

/** Validates a `conversation.item.create` item (types, roles, content parts); returns the error to send. */
export function validateItem(item: any): { code: string; message: string; param?: string } | undefined {
  if (item === null || typeof item !== "object") {
    return { code: "invalid_value", message: "item must be an object", param: "item" };
  }
  if (item.type === "function_call") {
    if (typeof item.call_id !== "string" || typeof item.name !== "string") {
      return {
        code: "missing_required_parameter",
        message: "function_call needs call_id and name",
        param: "item.call_id",
      };
    }
    return undefined;
  }
  if (item.type === "function_call_output") {
    if (typeof item.call_id !== "string" || typeof item.output !== "string") {
      return {
        code: "missing_required_parameter",
        message: "function_call_output needs call_id and output (a string)",
        param: "item.output",
      };
    }
    return undefined;
  }
  if (item.type !== "message") {
    return { code: "invalid_value", message: `Invalid value: '${item.type}'.`, param: "item.type" };
  }
  const allowed: Record<string, string[]> = {
    user: ["input_text", "input_audio", "input_image"],
    system: ["input_text"],
    assistant: ["output_text"],
  };
  const types = allowed[item.role];
  if (!types) return { code: "invalid_value", message: `Invalid value: '${item.role}'.`, param: "item.role" };
  if (!Array.isArray(item.content)) {
    return {
      code: "missing_required_parameter",
      message: "Missing required parameter: 'item.content'.",
      param: "item.content",
    };
  }
  for (const [index, part] of item.content.entries()) {
    if (item.role === "assistant" && part?.type === "output_audio") {
      return {
        code: "invalid_value",
        message: "Assistant audio cannot be added to the conversation; use output_text.",
        param: `item.content[${index}].type`,
      };
    }
    if (!types.includes(part?.type)) {
      return {
        code: "invalid_value",
        message: `Invalid value: '${part?.type}'.`,
        param: `item.content[${index}].type`,
      };
    }
  }
  return undefined;
}

/** The stored item with its (possibly truncated) assistant audio, for `conversation.item.retrieved`. */
export function withAudio(stored: StoredItem): StoredItem["item"] {
  if (stored.audioChunks.length === 0) return stored.item;
  const bytes = Buffer.concat(stored.audioChunks.map((chunk) => Buffer.from(chunk, "base64")));
  const audio = bytes.subarray(0, Math.round(stored.audioMs * stored.bytesPerMs)).toString("base64");
  const item = stored.item as any;
  return {
    ...item,
    content: (item.content ?? []).map((part: any) => (part.type === "output_audio" ? { ...part, audio } : part)),
  };
}

/** The flat beta-shape session (only used when `betaRetired: false`). */
export function betaSession(session: SessionObject): SessionObject {
  return {
    id: session.id,
    object: "realtime.session",
    model: session.model,
    expires_at: session.expires_at,
    modalities: ["audio", "text"],
    instructions: "",
    voice: "alloy",
    input_audio_format: "pcm16",
    output_audio_format: "pcm16",
    input_audio_transcription: null,
    turn_detection: session.audio.input.turn_detection,
    tools: [],
    tool_choice: "auto",
    temperature: 0.8,
    max_response_output_tokens: "inf",
    audio: session.audio,
  };
}
