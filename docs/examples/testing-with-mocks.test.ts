import { expect, test } from "bun:test";
import { RealtimeVoiceChannel } from "@roomkit/realtime-channel";
import { MockRealtimeProvider, MockRealtimeTransport } from "@roomkit/testing";

test("a voice session with mocks", async () => {
  const provider = new MockRealtimeProvider();
  const transport = new MockRealtimeTransport();

  const channel = new RealtimeVoiceChannel("voice-test", { provider, transport });

  const session = await channel.startSession("room-1", "user-1");

  // Simulate provider events
  await provider.simulateTranscription(session, "Hello", { role: "user", isFinal: true });
  await provider.simulateAudio(session, new Uint8Array(200).fill(1));
  await provider.simulateToolCall(session, "call-1", "get_weather", { city: "NYC" });

  // Assert transport received audio
  expect(transport.sentAudio.length).toBeGreaterThan(0);
  await channel.close();
});
