import { RoomKit } from "@roomkit/core";
import { GeminiLiveProvider } from "@roomkit/provider-gemini";
import { RealtimeVoiceChannel } from "@roomkit/realtime-channel";
import type { ToolArguments, VoiceSession } from "@roomkit/spec";
import { createBunWebSocketAdapter, WebSocketRealtimeTransport } from "@roomkit/transport-ws";

export async function main() {
  const kit = new RoomKit();

  const provider = new GeminiLiveProvider({
    apiKey: process.env.GEMINI_API_KEY,
    model: "gemini-2.5-flash-native-audio-preview-12-2025",
  });

  const transport = new WebSocketRealtimeTransport({ audioFormat: "binary" });

  async function onTool(_session: VoiceSession, name: string, _args: ToolArguments) {
    if (name === "lookup_order") {
      return { status: "shipped", eta: "Tomorrow" };
    }
    return { error: "Unknown tool" };
  }

  const channel = new RealtimeVoiceChannel("voice", {
    provider,
    transport,
    systemPrompt: "You are a customer service agent. Be helpful and concise.",
    voice: "Aoede",
    tools: [
      {
        type: "function",
        name: "lookup_order",
        description: "Look up an order by ID",
        parameters: {
          type: "object",
          properties: { order_id: { type: "string" } },
          required: ["order_id"],
        },
      },
    ],
    toolHandler: onTool,
    muteOnToolCall: true,
    emitTranscriptionEvents: true,
  });

  kit.registerChannel(channel);
  await kit.createRoom({ roomId: "room-1" });
  await kit.attachChannel("room-1", "voice");

  // Auto-create a session when a WebSocket client connects
  const adapter = createBunWebSocketAdapter({
    onConnection: (connection) =>
      channel.startSession("room-1", "caller", {
        connection,
      }),
  });

  return Bun.serve({
    port: 3000,
    fetch: (request, server) => {
      if (new URL(request.url).pathname === "/ws" && adapter.upgrade(request, server)) return undefined;
      return new Response("Not found", { status: 404 });
    },
    websocket: adapter.websocket,
  });
}
