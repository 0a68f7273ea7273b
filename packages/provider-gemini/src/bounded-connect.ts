import type { Clock } from "@roomkit/spec";
import { LiveConnectFailure, type LiveSessionLike } from "./live-connector.ts";

/**
 * Waits for a connect attempt at most `timeoutMs`, and no longer than until the returned cancel function (handed to
 * `registerCancel`) is called. A connection that completes after we gave up is closed at once.
 */
export function boundedConnect(
  pending: Promise<LiveSessionLike>,
  options: {
    clock: Clock;
    timeoutMs: number;
    registerCancel(cancel: (() => void) | undefined): void;
    /** Called when the attempt is given up (timeout or cancel), to close its socket at once. */
    abandon?(): void;
  },
): Promise<LiveSessionLike> {
  const { clock, timeoutMs } = options;
  return new Promise<LiveSessionLike>((resolve, reject) => {
    let settled = false;
    let timer: unknown;
    const finish = (error: Error | undefined, live?: LiveSessionLike) => {
      if (settled) return;
      settled = true;
      clock.clearTimeout(timer);
      options.registerCancel(undefined);
      if (error) {
        options.abandon?.();
        pending.then((late) => late.close()).catch(() => {});
        reject(error);
      } else resolve(live!);
    };
    timer = clock.setTimeout(
      () => finish(new LiveConnectFailure(undefined, `no setupComplete within ${timeoutMs} ms`)),
      timeoutMs,
    );
    options.registerCancel(() => finish(new LiveConnectFailure(undefined, "closed while connecting")));
    pending.then(
      (live) => finish(undefined, live),
      (error: unknown) => finish(error instanceof Error ? error : new Error(String(error))),
    );
  });
}
