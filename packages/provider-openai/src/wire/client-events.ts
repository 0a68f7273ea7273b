/** A conversation item the provider writes (GA shapes). */
export type OpenAIConversationItem =
  | {
      type: "message";
      role: "user" | "system";
      content: Array<
        | { type: "input_text"; text: string }
        | { type: "input_audio"; audio: string }
        | { type: "input_image"; image_url: string; detail?: "auto" | "low" | "high" }
      >;
    }
  | { type: "message"; role: "assistant"; content: Array<{ type: "output_text"; text: string }> }
  | { type: "function_call"; call_id: string; name: string; arguments: string }
  | { type: "function_call_output"; call_id: string; output: string };

/** The GA client events this provider sends. `audio` in an append is the wire bytes, already base64. */
export type OpenAIClientEvent =
  | { type: "session.update"; session: Record<string, unknown>; event_id?: string }
  | { type: "input_audio_buffer.append"; audio: string; event_id?: string }
  | { type: "input_audio_buffer.commit"; event_id?: string }
  | { type: "input_audio_buffer.clear"; event_id?: string }
  | { type: "conversation.item.create"; item: OpenAIConversationItem; previous_item_id?: string; event_id?: string }
  | {
      type: "conversation.item.truncate";
      item_id: string;
      content_index: number;
      audio_end_ms: number;
      event_id?: string;
    }
  | { type: "conversation.item.delete"; item_id: string; event_id?: string }
  | { type: "response.create"; response?: Record<string, unknown>; event_id?: string }
  | { type: "response.cancel"; response_id?: string; event_id?: string };
