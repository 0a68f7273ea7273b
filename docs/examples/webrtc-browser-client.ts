import { FastRTCClient } from "@roomkit/transport-webrtc/client";

// In the browser (bundle this with your page; call it from a click). FastRTC's client steps: the mic as a track,
// the "text" DataChannel, an offer with a webrtc_id, ICE candidates to the same route.
export async function startWebRTCCall(roomId: string) {
  const client = new FastRTCClient({
    offerUrl: `/rtc-realtime/webrtc/offer?room=${encodeURIComponent(roomId)}`, // auth can read the query
    play: "track", // or "datachannel" for μ-law (then match the server's outboundAudio)
    outputSampleRate: 24000, // the μ-law rate: the transport's outputSampleRate
  });
  client.on("message", (message) => {
    if (message.type === "transcription") console.log(`[${message.role}] ${message.text}`);
  });
  client.on("clear", ({ bufferedMsBefore }) => console.log(`barge-in: ${bufferedMsBefore} ms dropped`));
  await client.start();
  return client; // later: client.setMicMuted(true), client.stop()
}
