// What every transport's fault-matrix tests count the same way: stored transcripts, their order and repeats, the
// timers a component set through its injected clock, and the row each cell adds to docs/reliability.md.
import { appendFileSync } from "node:fs";
import { expect } from "bun:test";
import { type Clock, type RoomEvent, systemClock } from "@roomkit/spec";

/** `base` (the system clock by default), counting the timers set through it that are still pending. */
export function countingClock(base: Clock = systemClock): Clock & { readonly live: Set<unknown> } {
  const live = new Set<unknown>();
  return {
    live,
    now: () => base.now(),
    setTimeout(callback, delayMs) {
      const handle: unknown = base.setTimeout(() => {
        live.delete(handle);
        callback();
      }, delayMs);
      live.add(handle);
      return handle;
    },
    clearTimeout(handle) {
      live.delete(handle);
      base.clearTimeout(handle);
    },
  };
}

/** The bodies of the stored text events of one role, in timeline order. */
export function storedTexts(events: RoomEvent[], role: string): string[] {
  return events
    .filter((event) => event.content.type === "text" && event.metadata?.role === role)
    .map((event) => (event.content as { body: string }).body);
}

/** Asserts each stored event's index is one more than the previous one; returns how many (role, text) pairs repeat. */
export function transcriptRepeats(events: RoomEvent[]): number {
  expect(events.map((event) => event.index)).toEqual(events.map((_, position) => events[0]!.index + position));
  const keys = events
    .filter((event) => event.content.type === "text")
    .map((event) => `${event.metadata?.role}:${(event.content as { body: string }).body}`);
  return keys.length - new Set(keys).size;
}

/** Appends one row of the reliability table to `$RELIABILITY_REPORT` (JSON lines) when it is set. */
export function reportReliabilityRow(row: Record<string, unknown>): void {
  const path = process.env.RELIABILITY_REPORT;
  if (path) appendFileSync(path, `${JSON.stringify(row)}\n`);
}
