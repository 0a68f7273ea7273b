import { RoomKitVoiceClient } from "@roomkit/transport-ws/client";

// In the browser (bundle this with your page). Captures the mic at 16 kHz in 20 ms frames, plays the replies,
// reports the played position (`playback` messages) and reconnects with back-off.
export async function startBrowserCall(token: string) {
  const client = new RoomKitVoiceClient({
    url: `wss://example.com/ws?token=${encodeURIComponent(token)}`,
    inputSampleRate: 16000, // the channel's inputSampleRate
    outputSampleRate: 24000, // the channel's outputSampleRate
  });
  client.on("transcript", ({ bubble }) => console.log(`[${bubble.role}] ${bubble.text}`));
  client.on("speaking", ({ who, speaking }) => console.log(`${who} ${speaking ? "started" : "stopped"} speaking`));
  client.on("session", ({ event, sessionId }) => console.log(`session ${event}`, sessionId));
  await client.start();
  return client; // later: client.setMicMuted(true), await client.stop()
}
