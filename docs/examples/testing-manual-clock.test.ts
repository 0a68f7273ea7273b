import { expect, test } from "bun:test";
import { RealtimeVoiceChannel } from "@roomkit/realtime-channel";
import { type Clock, silentLogger } from "@roomkit/spec";
import { MockRealtimeProvider, MockRealtimeTransport } from "@roomkit/testing";

// A clock the test moves by hand: timers fire only when `advance` passes their time.
function createManualClock() {
  let current = 0;
  const timers = new Map<number, { at: number; callback: () => void }>();
  let nextId = 1;
  const clock: Clock & { advance(ms: number): void } = {
    now: () => current,
    setTimeout: (callback, delayMs) => {
      timers.set(nextId, { at: current + delayMs, callback });
      return nextId++;
    },
    clearTimeout: (handle) => void timers.delete(handle as number),
    advance(ms) {
      current += ms;
      for (const [id, timer] of [...timers]) {
        if (timer.at > current) continue;
        timers.delete(id);
        timer.callback();
      }
    },
  };
  return clock;
}

test("a tool handler that never answers gets an error result after toolTimeoutMs", async () => {
  const clock = createManualClock();
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
  await Bun.sleep(0); // let the handler start

  clock.advance(29_999);
  await Bun.sleep(0);
  expect(provider.toolResults).toHaveLength(0);

  clock.advance(1);
  for (let turn = 0; turn < 20 && provider.toolResults.length === 0; turn++) await Bun.sleep(1);
  expect(JSON.parse(provider.toolResults[0]!.result)).toEqual({ error: "Tool 'slow_lookup' timed out after 30000 ms" });
  await channel.close();
});
