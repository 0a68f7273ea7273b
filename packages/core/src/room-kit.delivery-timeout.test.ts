import { expect, test } from "bun:test";
import {
  createRecordingLogger,
  type FrameworkEvent,
  HookResult,
  HookTrigger,
  type RoomEvent,
  silentLogger,
} from "@roomkit/spec";
import { MockChannel, type MockChannelOutput } from "@roomkit/testing";
import { RoomKit } from "./room-kit.ts";
import { ManualClock, waitFor } from "@roomkit/testing";

class HangingChannel extends MockChannel {
  override onEvent(): Promise<MockChannelOutput> {
    return new Promise(() => {});
  }
}

test("a channel that never finishes onEvent is reported after deliveryTimeoutMs and releases the room", async () => {
  const clock = new ManualClock();
  const kit = new RoomKit({ logger: silentLogger, clock, deliveryTimeoutMs: 1_000 });
  const source = new MockChannel("source");
  const hanging = new HangingChannel("hanging");
  const healthy = new MockChannel("healthy");
  for (const channel of [source, hanging, healthy]) kit.registerChannel(channel);
  await kit.createRoom({ roomId: "r1" });
  for (const id of ["source", "hanging", "healthy"]) await kit.attachChannel("r1", id);
  const failures: FrameworkEvent[] = [];
  kit.on("delivery_failed", (event) => {
    failures.push(event);
  });

  const sending = source.send("r1", "first");
  await waitFor(() => healthy.received.length === 1);
  let done = false;
  sending.then(() => {
    done = true;
  });
  clock.advance(999);
  await Promise.resolve();
  expect(done).toBe(false);
  clock.advance(1);
  const stored = await sending;
  expect(stored.status).toBe("delivered");
  expect(failures.map((event) => event.channelId)).toEqual(["hanging"]);
  expect(String(failures[0]?.data.error)).toContain("did not finish receiving within 1000 ms");

  // the room lock was released: the next event goes through (and is reported again after its own timeout)
  const next = source.send("r1", "second");
  await waitFor(() => healthy.received.length === 2);
  clock.advance(1_000);
  expect((await next).index).toBe(stored.index + 1);
  expect(clock.pendingTimers).toBe(0);
});

test("a BEFORE_BROADCAST modify that is not a RoomEvent with valid content is ignored (logged)", async () => {
  const logger = createRecordingLogger();
  const kit = new RoomKit({ logger });
  const a = new MockChannel("a");
  const b = new MockChannel("b");
  kit.registerChannel(a);
  kit.registerChannel(b);
  await kit.createRoom({ roomId: "r1" });
  await kit.attachChannel("r1", "a");
  await kit.attachChannel("r1", "b");
  kit.hook(HookTrigger.BEFORE_BROADCAST, (event: RoomEvent) =>
    HookResult.modify({ ...event, content: { type: "text" } }),
  );
  const stored = await a.send("r1", "original");
  expect(stored.content).toEqual({ type: "text", body: "original" });
  expect(b.receivedTexts()).toEqual(["original"]);
  expect(logger.entries.some((entry) => entry.message.startsWith("BEFORE_BROADCAST modify ignored"))).toBe(true);
});

test("ON_ERROR hears of a delivery timeout as a DeliveryTimeoutError (error_type), with the same message", async () => {
  const clock = new ManualClock();
  const kit = new RoomKit({ logger: silentLogger, clock, deliveryTimeoutMs: 500 });
  const source = new MockChannel("source");
  kit.registerChannel(source);
  kit.registerChannel(new HangingChannel("hanging"));
  await kit.createRoom({ roomId: "r1" });
  for (const id of ["source", "hanging"]) await kit.attachChannel("r1", id);
  const errors: RoomEvent[] = [];
  kit.hook(HookTrigger.ON_ERROR, (event: RoomEvent) => void errors.push(event), { execution: "async" });
  const sending = source.send("r1", "hello");
  await waitFor(() => clock.pendingTimers > 0);
  clock.advance(500);
  expect((await sending).status).toBe("delivered");
  await waitFor(() => errors.length === 1);
  expect(errors[0]?.source.channelId).toBe("hanging");
  expect(errors[0]?.metadata).toMatchObject({
    error: "channel hanging did not finish receiving within 500 ms",
    error_type: "DeliveryTimeoutError",
    error_category: "broadcast_delivery",
  });
  await kit.close();
});
