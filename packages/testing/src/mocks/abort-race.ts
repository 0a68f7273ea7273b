/** `work`, unless the signal aborts first (then its reason), like a real handshake that is cancelled. */
export function raceAbort<Value>(work: Value | Promise<Value>, signal: AbortSignal | undefined): Promise<Value> {
  if (signal === undefined) return Promise.resolve(work);
  if (signal.aborted) return Promise.reject(signal.reason);
  const aborted = new Promise<never>((_, reject) => {
    signal.addEventListener("abort", () => reject(signal.reason), { once: true });
  });
  aborted.catch(() => {});
  return Promise.race([Promise.resolve(work), aborted]);
}
