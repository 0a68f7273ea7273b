import type { RoomKit } from "@roomkit/core";
import type { RealtimeVoiceChannel } from "@roomkit/realtime-channel";
import type { ToolDefinition } from "@roomkit/spec";

export async function sessionLifecycle(
  kit: RoomKit,
  channel: RealtimeVoiceChannel,
  connection: unknown, // Transport-specific connection handle (a WebSocketConnection for transport-ws)
  newTools: ToolDefinition[],
) {
  // The room and the binding: transcriptions are stored in the room, access/mute apply per binding
  const room = await kit.createRoom({ roomId: "room-1" });
  await kit.attachChannel(room.id, channel.channelId);

  // Start a session
  const session = await channel.startSession(room.id, "user-1", {
    connection,
    metadata: {
      system_prompt: "Override prompt", // Per-session override (systemPrompt also accepted)
      voice: "echo", // Per-session voice
    },
  });

  // Reconfigure mid-conversation
  await channel.reconfigureSession(session.id, {
    systemPrompt: "New prompt",
    voice: "shimmer",
    tools: newTools,
    temperature: 0.5,
  });

  // End session
  await channel.endSession(session.id);
}

// The same through the framework: kit.join() calls channel.startSession, kit.leave() calls channel.endSession.
export async function joinAndLeave(kit: RoomKit, connection: unknown) {
  const session = await kit.join("room-1", "voice", { participantId: "user-1", connection });
  await kit.leave(session as { channelId: string });
}
