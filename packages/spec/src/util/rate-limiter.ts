import { InvalidArgumentError } from "../errors/invalid-argument-error.ts";
import { type Clock, systemClock } from "./clock.ts";

/** A token bucket per key: `burst` attempts at once, refilled at `perSecond`. */
export interface RateLimitOptions {
  /** Tokens added per second (> 0). */
  perSecond: number;
  /** Bucket size: attempts allowed at once from a full bucket (>= 1). */
  burst: number;
}

/** What a transport option accepts: limits, or `false` to turn limiting off. */
export type RateLimitOption = RateLimitOptions | false;

export interface RateLimiterOptions extends RateLimitOptions {
  /** Time source (only `now()` is used). Default `systemClock`. */
  clock?: Pick<Clock, "now">;
  /** Keys tracked at most; beyond, the least recently used key is forgotten (it starts again full). Default 10,000. */
  maxKeys?: number;
}

export type RateLimitDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

/** Counters of a `RateLimiter`. */
export interface RateLimiterStats {
  allowed: number;
  refused: number;
  /** Keys currently tracked (bounded by `maxKeys`). */
  trackedKeys: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * Token-bucket rate limiter keyed by a string (a remote address). `take(key)` spends one token or says how long to
 * wait. Memory is bounded by `maxKeys` (least recently used keys are forgotten). No timers: refill is computed from
 * the clock on each call.
 */
export class RateLimiter {
  readonly perSecond: number;
  readonly burst: number;
  private readonly clock: Pick<Clock, "now">;
  private readonly maxKeys: number;
  private readonly buckets = new Map<string, Bucket>();
  private allowedCount = 0;
  private refusedCount = 0;

  constructor(options: RateLimiterOptions) {
    const { perSecond, burst, maxKeys = 10_000 } = options;
    if (!(typeof perSecond === "number" && Number.isFinite(perSecond) && perSecond > 0)) {
      throw new InvalidArgumentError(`RateLimiter: perSecond must be a finite number > 0, got ${String(perSecond)}`);
    }
    if (!(Number.isInteger(burst) && burst >= 1)) {
      throw new InvalidArgumentError(`RateLimiter: burst must be an integer >= 1, got ${String(burst)}`);
    }
    if (!(Number.isInteger(maxKeys) && maxKeys >= 1)) {
      throw new InvalidArgumentError(`RateLimiter: maxKeys must be an integer >= 1, got ${String(maxKeys)}`);
    }
    this.perSecond = perSecond;
    this.burst = burst;
    this.maxKeys = maxKeys;
    this.clock = options.clock ?? systemClock;
  }

  /** Spends one token of `key`'s bucket when it has one. */
  take(key: string): RateLimitDecision {
    const now = this.clock.now();
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      if (this.buckets.size >= this.maxKeys) {
        const oldest = this.buckets.keys().next().value;
        if (oldest !== undefined) this.buckets.delete(oldest);
      }
      bucket = { tokens: this.burst, updatedAt: now };
    } else {
      this.buckets.delete(key); // re-inserted below: the Map's order is least recently used first
      const elapsedMs = Math.max(0, now - bucket.updatedAt);
      bucket.tokens = Math.min(this.burst, bucket.tokens + (elapsedMs * this.perSecond) / 1000);
      bucket.updatedAt = now;
    }
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      this.allowedCount++;
      return { allowed: true };
    }
    this.refusedCount++;
    return { allowed: false, retryAfterMs: Math.ceil(((1 - bucket.tokens) * 1000) / this.perSecond) };
  }

  get stats(): RateLimiterStats {
    return { allowed: this.allowedCount, refused: this.refusedCount, trackedKeys: this.buckets.size };
  }

  /** Forgets every key (each starts again with a full bucket). */
  clear(): void {
    this.buckets.clear();
  }
}

/**
 * The limiter a transport uses for `option`: `false` ⇒ none, `undefined` ⇒ `defaults`, an object ⇒ those limits.
 * @throws InvalidArgumentError for limits that are not positive.
 */
export function createRateLimiter(
  option: RateLimitOption | undefined,
  defaults: RateLimitOptions,
  clock?: Pick<Clock, "now">,
): RateLimiter | undefined {
  if (option === false) return undefined;
  const limits = option ?? defaults;
  return new RateLimiter({ perSecond: limits.perSecond, burst: limits.burst, clock });
}

/** Whole seconds to put in a `Retry-After` header for a refusal (at least 1). */
export function retryAfterSeconds(decision: { retryAfterMs: number }): number {
  return Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
}
