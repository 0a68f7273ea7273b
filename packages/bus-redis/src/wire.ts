import type { RoomEvent } from "@roomkit/spec";

/** A room event as JSON (its Date as an ISO string). */
export function encodeEvent(event: RoomEvent): Record<string, unknown> {
  return { ...event, createdAt: event.createdAt.toISOString() };
}

/** The inverse of `encodeEvent`; throws on anything that is not a room event. */
export function decodeEvent(value: unknown): RoomEvent {
  const record = value as Record<string, unknown> | null;
  if (
    typeof record !== "object" ||
    record === null ||
    typeof record.id !== "string" ||
    typeof record.roomId !== "string" ||
    !Number.isInteger(record.index) ||
    typeof record.createdAt !== "string"
  ) {
    throw new TypeError("not a room event");
  }
  const createdAt = new Date(record.createdAt);
  if (Number.isNaN(createdAt.getTime())) throw new TypeError("not a room event (createdAt)");
  return { ...(record as unknown as RoomEvent), createdAt };
}
