import { afterEach, expect, test } from "bun:test";
import { ManualClock } from "@roomkit/test-support";
import { cleanUp, open, start, userText } from "./raw-test-client.ts";

afterEach(cleanUp);

test("output audio is paced by the clock: 100 ms chunks every 100/speed ms (speed 4 ⇒ 25 ms)", async () => {
  const clock = new ManualClock();
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
