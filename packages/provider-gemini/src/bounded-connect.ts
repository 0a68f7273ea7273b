import type { Clock } from "@roomkit/spec";
import {
  LiveConnectFailure,
  type LiveConnectRequest,
  type LiveConnector,
  type LiveSessionLike,
} from "./live-connector.ts";

/**
 * One connect attempt through `connector`, waited for at most `timeoutMs`, and no longer than until the cancel
 * function handed to `registerCancel` is called. Giving up aborts the attempt's signal (its socket closes at once);
 * a connection that completes after we gave up is closed.
 */
export function boundedConnect(
  connector: LiveConnector,
  request: Omit<LiveConnectRequest, "signal">,
  options: {
    clock: Clock;
    timeoutMs: number;
    registerCancel(cancel: (() => void) | undefined): void;
  },
): Promise<LiveSessionLike> {
  const { clock, timeoutMs } = options;
  const attemptAbort = new AbortController();
  const pending = connector({ ...request, signal: attemptAbort.signal });
  return new Promise<LiveSessionLike>((resolve, reject) => {
    let settled = false;
    let timer: unknown;
    const finish = (error: Error | undefined, live?: LiveSessionLike) => {
      if (settled) return;
      settled = true;
      clock.clearTimeout(timer);
      options.registerCancel(undefined);
      if (error) {
        attemptAbort.abort();
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
