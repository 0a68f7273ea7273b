import type { StoredItem } from "./conversation.ts";
import type { ClientEvent, FakeConnectionHost } from "./connection-host.ts";
import { validateItem } from "./items.ts";

/** `conversation.item.create`: validate, assign an id, honour `previous_item_id`, emit added + done. */
export function createItem(connection: FakeConnectionHost, event: ClientEvent): undefined {
  const item = event.item;
  const problem = validateItem(item);
  if (problem) return connection.sendError(problem, event.event_id);
  const id = typeof item.id === "string" && item.id !== "" ? item.id : connection.nextId("item");
  const full = { ...item, id, object: "realtime.item", status: "completed" } as StoredItem["item"];
  const stored: StoredItem = { item: full, audioChunks: [], audioMs: 0, bytesPerMs: 0 };
  const previous = connection.conversation.insert(stored, event.previous_item_id);
  if (previous === undefined) return itemNotFound(connection, event, "previous_item_id");
  connection.send({
    type: "conversation.item.added",
    event_id: connection.nextId("event"),
    previous_item_id: previous,
    item: full,
  });
  connection.send({
    type: "conversation.item.done",
    event_id: connection.nextId("event"),
    previous_item_id: previous,
    item: full,
  });
}

/** `conversation.item.truncate` with the real rules and errors. */
export function truncateItem(connection: FakeConnectionHost, event: ClientEvent): undefined {
  const stored = connection.conversation.find(event.item_id);
  if (!stored) return itemNotFound(connection, event, "item_id");
  const item = stored.item as { type: string; role?: string; content?: Array<{ type: string; transcript?: string }> };
  const part = item.content?.[event.content_index];
  const streaming = item.content?.length === 0 && event.content_index === 0;
  const isAudio = part?.type === "output_audio" || (part === undefined && streaming);
  if (item.type !== "message" || item.role !== "assistant" || !isAudio || stored.audioChunks.length === 0) {
    return connection.sendError(
      { code: "unsupported_content_type", message: "Only model output audio messages can be truncated" },
      event.event_id,
    );
  }
  const audioEndMs = event.audio_end_ms;
  if (typeof audioEndMs !== "number" || !Number.isInteger(audioEndMs) || audioEndMs < 0) {
    return connection.sendError(
      { code: "invalid_value", message: "audio_end_ms must be a non-negative integer", param: "audio_end_ms" },
      event.event_id,
    );
  }
  // The server's item holds a little less audio than it streamed (its last ~85 ms): a truncate at the very end of
  // the received audio is past the item's end.
  const itemMs = Math.max(0, stored.audioMs - (connection.context.options.itemAudioShortfallMs ?? 85));
  if (audioEndMs > itemMs) {
    return connection.sendError(
      {
        code: null,
        message: `Audio content of ${Math.round(itemMs)}ms is already shorter than ${audioEndMs}ms`,
      },
      event.event_id,
    );
  }
  stored.audioMs = audioEndMs;
  if (part) part.transcript = "";
  connection.send({
    type: "conversation.item.truncated",
    event_id: connection.nextId("event"),
    item_id: event.item_id,
    content_index: event.content_index,
    audio_end_ms: audioEndMs,
  });
}

export function itemNotFound(connection: FakeConnectionHost, event: ClientEvent, param: string): undefined {
  connection.sendError(
    {
      code: "item_not_found",
      message: `Item with item_id '${event[param]}' not found.`,
      param,
    },
    event.event_id,
  );
}
