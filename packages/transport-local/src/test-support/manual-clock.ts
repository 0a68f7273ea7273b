import type { Clock } from "@roomkit/spec";

/** A clock that moves only when told. */
export class ManualClock implements Clock {
  time = 0;
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += ms;
  }
  setTimeout(): unknown {
    return undefined;
  }
  clearTimeout(): void {}
}
