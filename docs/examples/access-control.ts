import type { RoomKit } from "@roomkit/core";

export async function accessControl(kit: RoomKit, roomId: string) {
  await kit.setAccess(roomId, "voice", "none"); // Access revoked: caller audio is dropped
  await kit.setAccess(roomId, "voice", "read_write");

  await kit.mute(roomId, "voice"); // Muted: caller audio is dropped
  await kit.unmute(roomId, "voice"); // Active: audio flows again

  await kit.muteOutput(roomId, "voice"); // The caller hears nothing from the model
  await kit.unmuteOutput(roomId, "voice");
}
