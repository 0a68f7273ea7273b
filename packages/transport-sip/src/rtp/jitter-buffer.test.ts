import { describe, expect, test } from "bun:test";
import { JitterBuffer, type JitterOutput } from "./jitter-buffer.ts";

const run = (buffer: JitterBuffer<number>, sequences: number[]) => {
  const out: Array<JitterOutput<number> | string> = [];
  for (const sequence of sequences) {
    const result = buffer.push(sequence, sequence);
    if (typeof result === "string") out.push(result);
    else out.push(...result);
  }
  return out.map((entry) =>
    typeof entry === "string" ? entry : entry.kind === "packet" ? entry.item : `lost ${entry.count}`,
  );
};

describe("JitterBuffer", () => {
  test("in order: every packet released at once", () => {
    expect(run(new JitterBuffer(), [10, 11, 12])).toEqual([10, 11, 12]);
  });

  test("a reordered packet fills its hole: released in sequence order, nothing lost", () => {
    expect(run(new JitterBuffer(), [1, 3, 2, 4])).toEqual([1, 2, 3, 4]);
  });

  test("a hole confirmed by more than 3 later packets is lost; late arrivals after that are dropped", () => {
    expect(run(new JitterBuffer(), [1, 3, 4, 5, 6, 2])).toEqual([1, "lost 1", 3, 4, 5, 6, "late"]);
  });

  test("duplicates of a held or the last released packet are dropped", () => {
    expect(run(new JitterBuffer(), [1, 1, 3, 3])).toEqual([1, "duplicate", "duplicate"]);
  });

  test("sequence wrap-around is seamless", () => {
    expect(run(new JitterBuffer(), [65534, 65535, 1, 0])).toEqual([65534, 65535, 0, 1]);
  });

  test("flush gives up on holes; a huge jump restarts the stream; reset forgets everything", () => {
    const buffer = new JitterBuffer<number>();
    run(buffer, [1, 4]);
    expect(buffer.pending).toBe(1);
    expect(buffer.flush()).toEqual([
      { kind: "lost", count: 2 },
      { kind: "packet", item: 4 },
    ]);
    expect(run(buffer, [5, 5000, 5001])).toEqual([5, 5000, 5001]);
    buffer.reset();
    expect(run(buffer, [9])).toEqual([9]);
  });
});
