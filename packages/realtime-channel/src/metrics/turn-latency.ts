import type { TurnLatency } from "@roomkit/spec";
import { emitFrameworkEvent } from "../hooks/hook-dispatch.ts";
import type { ChannelRuntime } from "../runtime.ts";
import type { SessionState } from "../session/session-state.ts";
import { TurnLatencyTracker } from "./turn-latency-tracker.ts";

/** Turns kept on `session.metrics.turns` (oldest dropped). */
const MAX_TURNS_KEPT = 200;

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
