import { afterEach, expect, test } from "bun:test";
import type { Clock } from "@roomkit/spec";
import { cleanUp, open, start, userText } from "./raw-test-client.ts";

afterEach(cleanUp);

/** A manual clock: timers fire only when the test advances time. */
function manualClock() {
  let now = 0;
  const timers: Array<{ at: number; callback: () => void; id: number }> = [];
  let next = 0;
  const clock: Clock & { advance(ms: number): void; pending(): number } = {
    now: () => now,
    setTimeout(callback, delayMs) {
      const id = ++next;
      timers.push({ at: now + delayMs, callback, id });
      return id;
    },
    clearTimeout(handle) {
      const index = timers.findIndex((timer) => timer.id === handle);
      if (index >= 0) timers.splice(index, 1);
    },
    advance(ms: number) {
      const target = now + ms;
      for (let guard = 0; guard < 10_000; guard++) {
        timers.sort((a, b) => a.at - b.at || a.id - b.id);
        const due = timers[0];
        if (!due || due.at > target) break;
        timers.shift();
        now = due.at;
        due.callback();
      }
      now = target;
    },
    pending: () => timers.length,
  };
  return clock;
}

test("output audio is paced by the clock: 100 ms chunks every 100/speed ms (speed 4 ⇒ 25 ms)", async () => {
  const clock = manualClock();
  await start({ speed: 4, clock, brain: () => ({ say: "x", audioMs: 1000 }) });
  const client = await open();
  await userText(client, "go");
  client.send({ type: "response.create" });
  await client.next("response.output_audio.delta");
  const deltas = () => client.events.filter((event) => event.type === "response.output_audio.delta").length;
  await Bun.sleep(20);
  expect(deltas()).toBe(1);
  for (let step = 2; step <= 10; step++) {
    clock.advance(24);
    await Bun.sleep(5);
    expect(deltas()).toBe(step - 1);
    clock.advance(1);
    await client.next("response.output_audio.delta");
    expect(deltas()).toBe(step);
  }
  clock.advance(25);
  await client.next("response.done");
  expect(deltas()).toBe(10);
});
