import { RoomKit } from "@roomkit/core";
import { GeminiLiveProvider } from "@roomkit/provider-gemini";
import { RealtimeVoiceChannel } from "@roomkit/realtime-channel";
import { type FastRTCAuthContext, FastRTCRealtimeTransport, mountFastRTCRealtime } from "@roomkit/transport-webrtc";

// Optional auth, run on the offer before any peer connection exists: metadata accepts (merged into the session's
// metadata), null refuses with 403 {"detail":"unauthorized"}.
async function myAuthCallback({ request }: FastRTCAuthContext) {
  const token = request.headers.get("authorization");
  return token === "Bearer let-me-in" ? { user: "caller-1" } : null;
}

export async function main(port = 8000) {
  const kit = new RoomKit();
  const provider = new GeminiLiveProvider({
    apiKey: process.env.GEMINI_API_KEY,
    model: "gemini-2.5-flash-native-audio-preview-12-2025",
  });

  const transport = new FastRTCRealtimeTransport({
    inputSampleRate: 16000,
    outputSampleRate: 24000,
  });

  const channel = new RealtimeVoiceChannel("voice", { provider, transport, voice: "Aoede" });
  kit.registerChannel(channel);
  await kit.createRoom({ roomId: "room-1" });
  await kit.attachChannel("room-1", "voice");

  // Auto-create a session when a browser connects over WebRTC.
  transport.onClientConnected((webrtcId) => channel.startSession("room-1", "caller", { connection: webrtcId }));

  // POST /rtc-realtime/webrtc/offer on Bun.serve (a routes object is filled in place).
  const routes = {};
  mountFastRTCRealtime(routes, transport, {
    path: "/rtc-realtime",
    auth: myAuthCallback, // Optional
    concurrencyLimit: 10, // FastRTC's default is 1 browser
  });
  return Bun.serve({ port, routes });
}
