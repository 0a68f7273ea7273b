import { describe, expect, test } from "bun:test";
import { ManualClock } from "./manual-clock.ts";

describe("ManualClock", () => {
  test("time moves only with advance; startMs sets the first now()", () => {
    const clock = new ManualClock(1000);
    expect(clock.now()).toBe(1000);
    clock.advance(250);
    expect(clock.now()).toBe(1250);
    expect(new ManualClock().now()).toBe(0);
  });

  test("fires due timers in due order, ties in the order set, with now() at the due time", () => {
    const clock = new ManualClock();
    const fired: string[] = [];
    clock.setTimeout(() => fired.push(`b@${clock.now()}`), 30);
    clock.setTimeout(() => fired.push(`a@${clock.now()}`), 10);
    clock.setTimeout(() => fired.push(`c@${clock.now()}`), 30);
    clock.setTimeout(() => fired.push("late"), 31);
    clock.advance(30);
    expect(fired).toEqual(["a@10", "b@30", "c@30"]);
    expect(clock.pendingTimers).toBe(1);
    expect(clock.now()).toBe(30);
  });

  test("a timer set by a callback fires in the same advance when due before its end", () => {
    const clock = new ManualClock();
    const fired: number[] = [];
    const tick = () => {
      fired.push(clock.now());
      if (fired.length < 5) clock.setTimeout(tick, 20);
    };
    clock.setTimeout(tick, 20);
    clock.advance(70);
    expect(fired).toEqual([20, 40, 60]);
    clock.advance(100);
    expect(fired).toEqual([20, 40, 60, 80, 100]);
    expect(clock.pendingTimers).toBe(0);
  });

  test("clearTimeout cancels; negative delays count as 0", () => {
    const clock = new ManualClock();
    let fired = 0;
    const handle = clock.setTimeout(() => fired++, 5);
    clock.clearTimeout(handle);
    clock.setTimeout(() => fired++, -10);
    expect(clock.pendingTimers).toBe(1);
    clock.advance(0);
    expect(fired).toBe(1);
    expect(clock.pendingTimers).toBe(0);
  });

  test("advance does not run promise callbacks between timers; advanceAsync does", async () => {
    const run = async (useAsync: boolean) => {
      const clock = new ManualClock();
      const fired: number[] = [];
      clock.setTimeout(() => {
        fired.push(clock.now());
        // async work that sets the next timer only after an await
        void Promise.resolve().then(() => clock.setTimeout(() => fired.push(clock.now()), 10));
      }, 10);
      if (useAsync) await clock.advanceAsync(50);
      else clock.advance(50);
      return fired;
    };
    expect(await run(false)).toEqual([10]);
    expect(await run(true)).toEqual([10, 20]);
  });

  test("a timer that re-arms itself at 0 ms forever makes advance throw instead of hanging", () => {
    const clock = new ManualClock();
    const again = () => clock.setTimeout(again, 0);
    clock.setTimeout(again, 0);
    expect(() => clock.advance(1)).toThrow("timers fired in one advance");
  });
});
