import type { TurnLatency } from "@roomkit/spec";
import { emitFrameworkEvent } from "../hooks/hook-dispatch.ts";
import type { ChannelRuntime } from "../runtime.ts";
import type { SessionState } from "../session/session-state.ts";

/** Turns kept on `session.metrics.turns` (oldest dropped). */
const MAX_TURNS_KEPT = 200;

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

export function startTurn(runtime: ChannelRuntime, state: SessionState, trigger: TurnLatency["trigger"]): void {
  (state.turns ??= new TurnLatencyTracker()).start(trigger, runtime.clock.now());
}

export function recordFirstAudioSent(runtime: ChannelRuntime, state: SessionState, now: number): void {
  const turn = state.turns?.finish(now);
  if (turn === undefined) return;
  const turns = state.session.metrics.turns;
  turns.push(turn);
  if (turns.length > MAX_TURNS_KEPT) turns.shift();
  emitFrameworkEvent(runtime, "turn_latency", state.session.roomId, {
    session_id: state.session.id,
    trigger: turn.trigger,
    provider_ms: turn.providerMs,
    framework_ms: turn.frameworkMs,
    total_ms: turn.totalMs,
  });
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
