/** Control messages the channel sends to the caller through `transport.sendMessage` (seed, "WebSocket Transport"). */
export type ClientControlMessage =
  | { type: "session_started"; session_id?: string }
  | { type: "session_ended"; session_id?: string; reason?: string }
  | { type: "clear_audio" }
  | { type: "speaking"; speaking: boolean; who: "user" | "assistant" }
  | { type: "transcription"; text: string; role: "user" | "assistant"; is_final: boolean }
  | { type: "tool_call"; name: string; call_id: string; arguments: Record<string, unknown>; result?: string }
  | { type: "error"; code: string; message: string };
