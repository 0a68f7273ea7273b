import { type Clock, type Logger, ProviderSessionExpiredError } from "@roomkit/spec";
import { LiveConnectFailure, type LiveSessionLike } from "./live-connector.ts";
import { isRetryableClose } from "./wire/close-codes.ts";

export type ResumeOutcome =
  | { kind: "connected"; live: LiveSessionLike; resumed: boolean }
  | { kind: "failed"; code: string; message: string }
  | { kind: "closed" };

export interface ResumeConnectionOptions {
  /** The latest resumable handle, or undefined for a fresh session. */
  handle: string | undefined;
  attempts: number;
  /** A wait before the first attempt (0: at once, the usual case). */
  initialDelayMs?: number;
  /** Jitter source in [0, 1) (tests pass a constant). Default `Math.random`. */
  random?: () => number;
  establish(handle: string | undefined): Promise<LiveSessionLike>;
  isClosed(): boolean;
  sleep(delayMs: number): Promise<void>;
  /** The server refused the handle (1007 or 1008): the next attempt starts a fresh session. */
  onHandleRefused(error: unknown): void;
}

/**
 * Back-off before retry `attempt + 1`: a base of 100 ms, 200, 400, 800, then 2 s at most, with jitter (a random delay
 * in [base/2, base]) so that many sessions cut off together do not retry in step. The first attempt never waits.
 */
export function reconnectBackoffMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(2000, 100 * 2 ** (attempt - 1));
  return Math.round(base / 2 + (base / 2) * random());
}

/**
 * Opens the connection that replaces a lost or retiring one: resumes with the handle at once (no sleep before the
 * first attempt), falls back to a fresh session once if the handle is refused (1007 or 1008), retries other retryable
 * failures with backoff, and gives up at once on a non-retryable close (the reason is kept verbatim).
 */
export async function resumeConnection(options: ResumeConnectionOptions): Promise<ResumeOutcome> {
  let handle = options.handle;
  const attempts = Math.max(1, options.attempts);
  if ((options.initialDelayMs ?? 0) > 0) await options.sleep(options.initialDelayMs!);
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (options.isClosed()) return { kind: "closed" };
    try {
      const live = await options.establish(handle);
      if (options.isClosed()) {
        live.close();
        return { kind: "closed" };
      }
      return { kind: "connected", live, resumed: handle !== undefined };
    } catch (error) {
      if (options.isClosed()) return { kind: "closed" };
      if (!(error instanceof LiveConnectFailure)) {
        // Not a network outcome (a bug or bad configuration): retrying cannot help.
        return {
          kind: "failed",
          code: "connect_error",
          message: error instanceof Error ? error.message : String(error),
        };
      }
      const code = error.closeCode;
      // The service refuses an unknown or expired handle with 1008 or 1007: a fresh session (re-seeded) follows.
      if ((code === 1008 || code === 1007) && handle !== undefined) {
        options.onHandleRefused(error);
        handle = undefined;
        continue;
      }
      if (code !== undefined && !isRetryableClose(code, error.closeReason)) {
        return { kind: "failed", code: `ws_${code}`, message: error instanceof Error ? error.message : String(error) };
      }
      if (attempt < attempts) await options.sleep(reconnectBackoffMs(attempt, options.random));
    }
  }
  return {
    kind: "failed",
    code: "max_reconnects",
    message: `Gemini Live: reconnect failed after ${attempts} attempts`,
  };
}

/**
 * Switching connections after `goAway` arrived mid-response: the old connection stays usable until its deadline, so
 * the turn finishes there; the switch happens once the handle that covers the finished turn arrives (it follows
 * `turnComplete`), or at half the time left (5 s at most) if it does not.
 */
export class GoAwaySwitch {
  readonly #clock: Clock;
  readonly #trigger: (reason: string) => void;
  #timer: unknown;
  #onNextHandle = false;

  constructor(options: { clock: Clock; trigger(reason: string): void }) {
    this.#clock = options.clock;
    this.#trigger = options.trigger;
  }

  get scheduled(): boolean {
    return this.#timer !== undefined;
  }

  schedule(timeLeftMs: number | undefined): void {
    this.cancel();
    const wait = Math.max(0, Math.min(5000, (timeLeftMs ?? 10_000) / 2));
    this.#timer = this.#clock.setTimeout(() => this.#trigger("goAway (deadline)"), wait);
  }

  turnComplete(): void {
    if (this.#timer !== undefined) this.#onNextHandle = true;
  }

  handleArrived(): void {
    if (this.#onNextHandle) this.#trigger("goAway (after the turn's handle)");
  }

  cancel(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#onNextHandle = false;
  }
}

/** What the session reports when its resumption handle was refused: recoverable, but the context is lost. */
export function resumptionLostError(cause: unknown): ProviderSessionExpiredError {
  return new ProviderSessionExpiredError({
    code: "resumption_lost",
    message: "Gemini could not resume; context lost",
    recoverable: true,
    cause,
  });
}

/** A back-off wait on `clock`; the function handed to `register` ends it early (and clears its timer). */
export function cancellableSleep(clock: Clock, delayMs: number, register: (cancel: () => void) => void): Promise<void> {
  return new Promise((resolve) => {
    const timer = clock.setTimeout(() => cancel(), delayMs);
    const cancel = () => {
      clock.clearTimeout(timer);
      resolve();
    };
    register(cancel);
  });
}

/** Longest wait for a replaced connection's close handshake before resuming anyway. */
export const CLOSE_WAIT_MS = 1000;

/**
 * Closes a connection being replaced and waits for its close handshake (`closed` settles when its socket closed), at
 * most `CLOSE_WAIT_MS`: the service refuses a resume while an earlier socket of the session is open.
 */
export async function closeAndWait(
  live: LiveSessionLike,
  options: {
    closed: Promise<void> | undefined;
    clock: Clock;
    logger: Logger;
    registerCancel(cancel: () => void): void;
  },
): Promise<void> {
  try {
    live.close();
  } catch (error) {
    options.logger.debug("Gemini: closing the previous connection failed", { error });
  }
  if (options.closed === undefined) return;
  let cancel: (() => void) | undefined;
  const timeout = cancellableSleep(options.clock, CLOSE_WAIT_MS, (cancelWait) => {
    cancel = cancelWait;
    options.registerCancel(cancelWait);
  });
  await Promise.race([options.closed, timeout]);
  cancel?.();
}
