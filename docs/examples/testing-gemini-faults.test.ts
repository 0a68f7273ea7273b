import { afterEach, expect, test } from "bun:test";
import { GeminiLiveProvider } from "@roomkit/provider-gemini";
import { RealtimeVoiceChannel } from "@roomkit/realtime-channel";
import { silentLogger } from "@roomkit/spec";
import { createGeminiLiveFake, MockRealtimeTransport, waitFor } from "@roomkit/testing";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startAgent() {
  // A Gemini Live (BidiGenerateContent) server on 127.0.0.1, driven through the real @google/genai SDK.
  const fake = await createGeminiLiveFake();
  cleanups.push(() => fake.close());
  const provider = new GeminiLiveProvider({ apiKey: "test-key", baseUrl: fake.baseUrl, logger: silentLogger });
  const transport = new MockRealtimeTransport();
  const channel = new RealtimeVoiceChannel("voice", { provider, transport, voice: "Kore", logger: silentLogger });
  cleanups.push(() => channel.close());
  const session = await channel.startSession("room-1", "caller");
  const replies = () =>
    transport
      .messagesOfType("transcription")
      .filter((message) => message.role === "assistant" && message.is_final)
      .map((message) => message.text);
  return { fake, provider, transport, channel, session, replies };
}

test("a dropped connection is resumed: same session, conversation kept", async () => {
  const { fake, provider, channel, session, replies } = await startAgent();
  await channel.injectText(session, "my name is Ada");
  await waitFor(() => replies().includes("You said: my name is Ada"));

  fake.faults.dropSocket(); // the TCP connection dies without a close frame (1006)
  await waitFor(() => provider.sessionStats(session.id)?.reconnects === 1);
  expect(session.isActive).toBe(true);

  await channel.injectText(session, "still there?");
  await waitFor(() => replies().includes("You said: still there?"));
  expect(fake.conversations).toHaveLength(1); // one conversation across both connections
});

test("a close the provider cannot recover from ends the session", async () => {
  const { fake, transport, session } = await startAgent();
  fake.faults.close(1008, "Policy violation");
  await waitFor(() => session.isEnded);
  expect(transport.messagesOfType("session_ended")[0]).toMatchObject({ reason: "provider_error" });
});
