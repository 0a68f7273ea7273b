import { describe, expect, test } from "bun:test";
import { InvalidArgumentError } from "../errors/invalid-argument-error.ts";
import { createRateLimiter, RateLimiter, retryAfterSeconds } from "./rate-limiter.ts";

function manualClock(start = 0) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe("RateLimiter", () => {
  test("allows burst attempts at once, refuses the next with the wait, then refills at perSecond", () => {
    const clock = manualClock(1000);
    const limiter = new RateLimiter({ perSecond: 2, burst: 5, clock });
    for (let attempt = 0; attempt < 5; attempt++) expect(limiter.take("10.0.0.1")).toEqual({ allowed: true });
    expect(limiter.take("10.0.0.1")).toEqual({ allowed: false, retryAfterMs: 500 });
    clock.advance(250);
    expect(limiter.take("10.0.0.1")).toEqual({ allowed: false, retryAfterMs: 250 });
    clock.advance(250);
    expect(limiter.take("10.0.0.1")).toEqual({ allowed: true });
    expect(limiter.take("10.0.0.1").allowed).toBe(false);
    // A long pause refills up to burst, not beyond.
    clock.advance(60_000);
    for (let attempt = 0; attempt < 5; attempt++) expect(limiter.take("10.0.0.1").allowed).toBe(true);
    expect(limiter.take("10.0.0.1").allowed).toBe(false);
    expect(limiter.stats).toEqual({ allowed: 11, refused: 4, trackedKeys: 1 });
  });

  test("keys are independent", () => {
    const limiter = new RateLimiter({ perSecond: 1, burst: 1, clock: manualClock() });
    expect(limiter.take("a").allowed).toBe(true);
    expect(limiter.take("a").allowed).toBe(false);
    expect(limiter.take("b").allowed).toBe(true);
  });

  test("tracks at most maxKeys, forgetting the least recently used", () => {
    const limiter = new RateLimiter({ perSecond: 1, burst: 1, clock: manualClock(), maxKeys: 3 });
    for (const key of ["a", "b", "c"]) limiter.take(key);
    limiter.take("a"); // refused, and now the most recently used
    for (let index = 0; index < 10_000; index++) limiter.take(`flood-${index}`);
    expect(limiter.stats.trackedKeys).toBe(3);
    limiter.clear();
    expect(limiter.stats.trackedKeys).toBe(0);
  });

  test("a clock going backwards does not add tokens", () => {
    const clock = manualClock(10_000);
    const limiter = new RateLimiter({ perSecond: 1, burst: 1, clock });
    limiter.take("a");
    clock.advance(-5000);
    expect(limiter.take("a").allowed).toBe(false);
  });

  test("bad limits are refused with InvalidArgumentError", () => {
    for (const bad of [
      { perSecond: 0, burst: 1 },
      { perSecond: Number.NaN, burst: 1 },
      { perSecond: 1, burst: 0 },
      { perSecond: 1, burst: 1.5 },
    ]) {
      expect(() => new RateLimiter(bad)).toThrow(InvalidArgumentError);
    }
    expect(() => new RateLimiter({ perSecond: 1, burst: 1, maxKeys: 0 })).toThrow(InvalidArgumentError);
  });

  test("createRateLimiter: false is off, undefined takes the defaults, an object its own limits", () => {
    expect(createRateLimiter(false, { perSecond: 1, burst: 1 })).toBeUndefined();
    expect(createRateLimiter(undefined, { perSecond: 3, burst: 7 })?.burst).toBe(7);
    const own = createRateLimiter({ perSecond: 9, burst: 2 }, { perSecond: 3, burst: 7 });
    expect([own?.perSecond, own?.burst]).toEqual([9, 2]);
    expect(retryAfterSeconds({ retryAfterMs: 1 })).toBe(1);
    expect(retryAfterSeconds({ retryAfterMs: 2001 })).toBe(3);
  });
});
