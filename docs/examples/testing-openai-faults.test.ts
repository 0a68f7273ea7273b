import { afterEach, expect, test } from "bun:test";
import { OpenAIRealtimeProvider } from "@roomkit/provider-openai";
import { RealtimeVoiceChannel } from "@roomkit/realtime-channel";
import { RoomKit } from "@roomkit/core";
import { HookTrigger, ProviderAuthenticationError, type RoomEvent, silentLogger } from "@roomkit/spec";
import { createOpenAIRealtimeFake, MockRealtimeTransport, waitFor } from "@roomkit/testing";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startFakeAndChannel() {
  const fake = await createOpenAIRealtimeFake({ speed: "instant" });
  cleanups.push(() => fake.close());
  const provider = new OpenAIRealtimeProvider({ apiKey: "sk-test", baseUrl: fake.baseUrl, logger: silentLogger });
  const transport = new MockRealtimeTransport();
  const channel = new RealtimeVoiceChannel("voice", {
    provider,
    transport,
    providerConfig: { reconnect: { initialDelayMs: 10 } }, // reconnect fast in tests
    logger: silentLogger,
  });
  cleanups.push(() => channel.close());
  return { fake, provider, transport, channel };
}

test("a rejected key fails startSession cleanly", async () => {
  const { fake, channel } = await startFakeAndChannel();
  fake.faults.rejectUpgrades(1, 401);
  await expect(channel.startSession("room-1", "caller")).rejects.toBeInstanceOf(ProviderAuthenticationError);
  expect(channel.sessionCount).toBe(0); // rolled back
});

test("a dropped socket is reconnected and the session stays active", async () => {
  const { fake, provider, channel } = await startFakeAndChannel();
  const session = await channel.startSession("room-1", "caller");

  fake.faults.dropSocket(); // the TCP connection dies without a close frame (1006)
  const second = await fake.waitForConnection({ index: 1 }); // connections are numbered from 0
  await fake.waitForClientEvent((event, entry) => entry.connectionId === second.id && event.type === "session.update", {
    includePast: true,
  });
  await waitFor(() => provider.getStats(session.id)?.reconnects === 1);
  expect(session.isActive).toBe(true);
});

test("a recoverable server error reaches ON_ERROR and the session goes on", async () => {
  const { fake, channel } = await startFakeAndChannel();
  const kit = new RoomKit({ logger: silentLogger });
  cleanups.push(() => kit.close());
  const errors: unknown[] = [];
  kit.hook(HookTrigger.ON_ERROR, (event: RoomEvent) => void errors.push(event.metadata?.error_type), {
    execution: "async",
  });
  kit.registerChannel(channel);
  await kit.createRoom({ roomId: "room-1" });
  await kit.attachChannel("room-1", "voice");
  const session = await channel.startSession("room-1", "caller");

  fake.faults.sendError({ type: "invalid_request_error", code: "invalid_value", message: "bad value" });
  await waitFor(() => errors.length === 1);
  expect(errors).toEqual(["invalid_value"]);
  expect(session.isActive).toBe(true);
});
