import { expect, test } from "bun:test";
import { OutboundItem, OutboundQueue } from "./outbound-items.ts";

const chunk = (value: number) => new Uint8Array([value, 0]);

test("FIFO across growth and wrap-around; unshift puts a marker first; dropAudio keeps markers in order", () => {
  const queue = new OutboundQueue();
  for (let round = 0; round < 3; round++) {
    for (let index = 0; index < 5; index++) queue.push(OutboundItem.AUDIO, chunk(index), round);
    for (let index = 0; index < 5; index++) {
      expect(queue.shift()).toBe(OutboundItem.AUDIO);
      expect(queue.chunk?.[0]).toBe(index);
      expect(queue.generation).toBe(round);
    }
  }
  for (let index = 0; index < 20; index++) queue.push(OutboundItem.AUDIO, chunk(index), 7);
  queue.push(OutboundItem.FLUSH_AND_END, undefined, 7);
  queue.unshift(OutboundItem.END_ONLY, 6);
  expect(queue.length).toBe(22);
  expect(queue.audioLength).toBe(20);
  expect(queue.shift()).toBe(OutboundItem.END_ONLY);
  expect(queue.generation).toBe(6);
  expect(queue.chunk).toBeUndefined();
  expect(queue.shift()).toBe(OutboundItem.AUDIO);
  expect(queue.chunk?.[0]).toBe(0);
  queue.dropAudio();
  expect(queue.length).toBe(1);
  expect(queue.shift()).toBe(OutboundItem.FLUSH_AND_END);
  expect(queue.generation).toBe(7);
  expect(queue.shift()).toBe(-1);
});
