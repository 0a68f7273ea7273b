export interface WaitForOptions {
  /** Give up after this many real milliseconds. Default 5000. */
  timeoutMs?: number;
  /** Real milliseconds between checks. Default 5. */
  intervalMs?: number;
  /** What is awaited, for the timeout error. Default: the predicate's source text. */
  label?: string;
}

/** Thrown by `waitFor` when its predicate is still false at the deadline; `label` names what it waited for. */
export class WaitForTimeoutError extends Error {
  override readonly name = "WaitForTimeoutError";
  readonly label: string;
  readonly timeoutMs: number;

  constructor(label: string, timeoutMs: number, cause?: unknown) {
    super(`waitFor: timed out after ${timeoutMs} ms waiting for ${label}`, cause === undefined ? undefined : { cause });
    this.label = label;
    this.timeoutMs = timeoutMs;
  }
}

/**
 * Resolves as soon as `predicate` returns true (checked at once, then every `intervalMs` of real time); rejects
 * with `WaitForTimeoutError` after `timeoutMs`. An exception thrown by the predicate counts as "not yet"; the last
 * one becomes the timeout error's `cause`. For code on a `ManualClock`, advance the clock instead of waiting.
 */
export async function waitFor(
  predicate: () => boolean | Promise<boolean>,
  options: WaitForOptions = {},
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const intervalMs = options.intervalMs ?? 5;
  const deadline = performance.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      if (await predicate()) return;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (performance.now() >= deadline) {
      throw new WaitForTimeoutError(options.label ?? describe(predicate), timeoutMs, lastError);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

function describe(predicate: () => unknown): string {
  const source = String(predicate)
    .replace(/^(async\s*)?\(\)\s*=>\s*/, "")
    .replace(/\s+/g, " ")
    .trim();
  return source.length > 160 ? `${source.slice(0, 157)}...` : source;
}
