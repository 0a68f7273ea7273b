import { expect, test } from "bun:test";
import { RealtimeVoiceChannel } from "@roomkit/realtime-channel";
import { silentLogger } from "@roomkit/spec";
import { ManualClock, MockRealtimeProvider, MockRealtimeTransport, settle, waitFor } from "@roomkit/testing";

test("a tool handler that never answers gets an error result after toolTimeoutMs", async () => {
  // Timers fire only when the test advances the clock (in due order, synchronously).
  const clock = new ManualClock();
  const provider = new MockRealtimeProvider();
  const channel = new RealtimeVoiceChannel("voice", {
    provider,
    transport: new MockRealtimeTransport(),
    toolHandler: () => new Promise(() => {}), // hangs forever
    toolTimeoutMs: 30_000,
    clock,
    logger: silentLogger,
  });
  const session = await channel.startSession("room-1", "caller");
  await provider.simulateToolCall(session, "call-1", "slow_lookup", {});
  await settle(); // let the handler start

  clock.advance(29_999);
  await settle();
  expect(provider.toolResults).toHaveLength(0);

  clock.advance(1);
  await waitFor(() => provider.toolResults.length === 1, { label: "the timeout's error result" });
  expect(JSON.parse(provider.toolResults[0]!.result)).toEqual({ error: "Tool 'slow_lookup' timed out after 30000 ms" });
  await channel.close();
});
