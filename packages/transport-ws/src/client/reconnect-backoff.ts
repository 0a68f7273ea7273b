export interface ReconnectOptions {
  /** Stop after this many failed attempts in a row. Default 8. */
  maxAttempts?: number;
  /** First delay. Default 500 ms. */
  initialDelayMs?: number;
  /** Cap. Default 8000 ms. */
  maxDelayMs?: number;
  /** Random spread, 0..1, of each delay. Default 0.2. */
  jitter?: number;
}

/** Exponential back-off with jitter: attempt 1 → initial, doubling up to the cap. Undefined when out of attempts. */
export function reconnectDelay(
  attempt: number,
  options: ReconnectOptions = {},
  random = Math.random,
): number | undefined {
  const maxAttempts = options.maxAttempts ?? 8;
  if (attempt < 1 || attempt > maxAttempts) return undefined;
  const initial = options.initialDelayMs ?? 500;
  const cap = options.maxDelayMs ?? 8000;
  const jitter = options.jitter ?? 0.2;
  const base = Math.min(cap, initial * 2 ** (attempt - 1));
  return Math.round(base * (1 - jitter + 2 * jitter * random()));
}

/** Close codes after which reconnecting is pointless (auth refused, policy, session ended normally). */
export function isFinalCloseCode(code: number): boolean {
  return code === 1000 || code === 1008 || code === 4401 || code === 4403;
}
