import { createServer } from "node:http";
import { createFastRTCOfferHandler, FastRTCRealtimeTransport, toNodeListener } from "@roomkit/transport-webrtc";

// Node (22+) without a framework: the same route behind node:http. The handler is a plain
// (Request) => Promise<Response>, so any fetch-style server can call it directly.
export function serveOnNode(port = 8000) {
  const transport = new FastRTCRealtimeTransport({
    outboundAudio: "both", // μ-law on the DataChannel (RoomKit's page) and an Opus track (stock FastRTC clients)
    iceServers: [], // no STUN: same-machine or LAN only
  });
  const handler = createFastRTCOfferHandler(transport, { path: "/rtc-realtime" });
  const server = createServer(toNodeListener(handler));
  server.listen(port);
  return { server, transport };
}
