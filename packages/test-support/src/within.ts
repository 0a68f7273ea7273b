export interface WithinOptions {
  /** Give up after this many real milliseconds. Default 5000. */
  timeoutMs?: number;
  /** What is awaited, for the timeout error. Default "the work". */
  label?: string;
}

/** Thrown by `within` when the awaited work has neither resolved nor rejected by the deadline. */
export class WithinTimeoutError extends Error {
  override readonly name = "WithinTimeoutError";
  readonly label: string;
  readonly timeoutMs: number;

  constructor(label: string, timeoutMs: number) {
    super(`within: ${label} did not settle within ${timeoutMs} ms`);
    this.label = label;
    this.timeoutMs = timeoutMs;
  }
}

/**
 * Settles like `work` (same value, same rejection) if it settles within `timeoutMs` of real time; otherwise rejects
 * with `WithinTimeoutError`. For proving that something finishes at all (no deadlock, no hang until a 30 s timeout)
 * without a timed assertion; the timer is cleared either way.
 */
export function within<Value>(work: Promise<Value> | Value, options: WithinOptions = {}): Promise<Value> {
  const timeoutMs = options.timeoutMs ?? 5000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new WithinTimeoutError(options.label ?? "the work", timeoutMs)), timeoutMs);
  });
  return Promise.race([Promise.resolve(work), deadline]).finally(() => clearTimeout(timer));
}
