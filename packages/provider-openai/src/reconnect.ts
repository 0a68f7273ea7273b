import type { Clock, Logger } from "@roomkit/spec";
import type { ReconnectPolicy } from "./provider-config.ts";

export type ReconnectOutcome = { kind: "connected"; attempt: number } | { kind: "failed" } | { kind: "closed" };

export interface ReconnectOptions {
  policy: ReconnectPolicy;
  clock: Clock;
  logger: Logger;
  /** Aborted when the connection is closed on purpose: ends a back-off wait and the loop. */
  signal: AbortSignal;
  isClosed(): boolean;
  /**
   * Opens one replacement connection and brings it to the state the lost one had (socket attached, session
   * configuration acknowledged). Throws when this attempt failed; the next one starts from scratch.
   */
  attempt(): Promise<void>;
  /** Cleans up after a failed attempt (detaches its socket). */
  onAttemptFailed(): void;
}

/**
 * Back-off before attempt `attempt` (1-based): a base of `initialDelayMs` doubled per attempt, capped at
 * `maxDelayMs`, with jitter (a random delay in [base/2, base]) so that many sessions cut off together do not retry
 * in step.
 */
export function reconnectBackoffMs(
  policy: ReconnectPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  const base = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (attempt - 1));
  return Math.round(base / 2 + (base / 2) * random());
}

/**
 * Replaces a lost connection: up to `policy.maxAttempts` attempts, each after its back-off wait on the injected
 * clock. `closed` when the connection was closed on purpose meanwhile, `failed` when every attempt failed.
 */
export async function reconnectWithBackoff(options: ReconnectOptions): Promise<ReconnectOutcome> {
  const { policy, signal } = options;
  for (let attempt = 1; attempt <= policy.maxAttempts; attempt++) {
    await sleep(options.clock, reconnectBackoffMs(policy, attempt), signal);
    if (signal.aborted || options.isClosed()) return { kind: "closed" };
    try {
      await options.attempt();
      if (options.isClosed()) return { kind: "closed" };
      return { kind: "connected", attempt };
    } catch (error) {
      if (options.isClosed()) return { kind: "closed" };
      options.logger.warn("OpenAI Realtime: reconnect attempt failed", { attempt, error });
      options.onAttemptFailed();
    }
  }
  return { kind: "failed" };
}

/** Waits `ms` on the injected clock; resolves early when `signal` aborts. */
export function sleep(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const onAbort = () => {
      clock.clearTimeout(handle);
      resolve();
    };
    const handle = clock.setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
