import type { TurnLatency } from "@roomkit/spec";

/**
 * Per-turn latency: from what started the turn (the user's speech end, injected text, a tool result) to the first
 * assistant audio byte handed to the transport, split into the provider's share (trigger → first audio reaching
 * the channel) and the framework's share (that byte reaching the channel → handed to the transport).
 */
export class TurnLatencyTracker {
  trigger: TurnLatency["trigger"] | undefined;
  triggerAt = 0;
  providerAt = -1;

  /** A trigger is pending and no audio has arrived yet. */
  get waiting(): boolean {
    return this.trigger !== undefined && this.providerAt < 0;
  }

  /** Audio arrived; the next send completes the measurement. */
  get measuring(): boolean {
    return this.trigger !== undefined && this.providerAt >= 0;
  }

  start(trigger: TurnLatency["trigger"], now: number): void {
    this.trigger = trigger;
    this.triggerAt = now;
    this.providerAt = -1;
  }

  onProviderAudio(now: number): void {
    this.providerAt = now;
  }

  /** A response ended without audio: the trigger is void. */
  cancelIfSilent(): void {
    if (this.providerAt < 0) this.trigger = undefined;
  }

  finish(now: number): TurnLatency | undefined {
    const trigger = this.trigger;
    if (trigger === undefined || this.providerAt < 0) return undefined;
    this.trigger = undefined;
    const providerMs = round(this.providerAt - this.triggerAt);
    const frameworkMs = round(now - this.providerAt);
    this.providerAt = -1;
    return { trigger, providerMs, frameworkMs, totalMs: round(providerMs + frameworkMs), at: Date.now() };
  }
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
