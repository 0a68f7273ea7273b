// Shared by the OpenAI and Gemini fakes (not exported): loopback listen, connection targeting, event-driven waits.
import type { Server } from "node:http";
import { WaitForTimeoutError } from "@roomkit/test-support";

/** Listens on 127.0.0.1, port 0; resolves with the port. */
export async function listenOnLoopback(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  return typeof address === "object" && address ? address.port : 0;
}

/** The connection with `connectionId`, else the latest one still open, else the latest one. */
export function pickConnection<C extends { info: { id: number; closed: boolean } }>(
  live: readonly C[],
  connectionId: number | undefined,
): C | undefined {
  if (connectionId !== undefined) return live.find((connection) => connection.info.id === connectionId);
  for (let index = live.length - 1; index >= 0; index--) if (!live[index]!.info.closed) return live[index];
  return live[live.length - 1];
}

/**
 * Resolves with the first entry matching (an entry of `past` when `includePast`, else the next one announced to
 * `listeners`); rejects after `timeoutMs` with the `WaitForTimeoutError` that `waitFor` throws, naming `what`.
 */
export function waitForEntry<T>(
  listeners: Set<(entry: T) => void>,
  past: readonly T[],
  matches: (entry: T) => boolean,
  options: { timeoutMs: number; includePast?: boolean },
  what: string,
): Promise<T> {
  if (options.includePast) {
    const found = past.find(matches);
    if (found) return Promise.resolve(found);
  }
  return new Promise<T>((resolve, reject) => {
    const listener = (entry: T) => {
      if (!matches(entry)) return;
      clearTimeout(timer);
      listeners.delete(listener);
      resolve(entry);
    };
    const timer = setTimeout(() => {
      listeners.delete(listener);
      reject(new WaitForTimeoutError(what, options.timeoutMs));
    }, options.timeoutMs);
    listeners.add(listener);
  });
}
