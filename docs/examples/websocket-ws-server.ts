import type { RealtimeVoiceChannel } from "@roomkit/realtime-channel";
import { attachWsServer, type WsLikeServer } from "@roomkit/transport-ws";

// With the `ws` package: pass your `new WebSocketServer({ port })`.
export function attachToWsServer(server: WsLikeServer, channel: RealtimeVoiceChannel) {
  return attachWsServer(server, {
    onConnection: (connection) => channel.startSession("room-1", "caller", { connection }),
  });
}
