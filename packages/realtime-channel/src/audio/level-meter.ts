import { rmsDb } from "@roomkit/audio";
import { type AudioLevelEvent, HookTrigger } from "@roomkit/spec";
import { hasHooks, levelHooksBehind, scheduleSessionHook } from "../hooks/hook-dispatch.ts";
import type { ChannelRuntime } from "../runtime.ts";
import type { SessionState } from "../session/session-state.ts";

/**
 * ON_INPUT_AUDIO_LEVEL / ON_OUTPUT_AUDIO_LEVEL, throttled per session and direction (`levelIntervalMs`, ~10/s).
 * Nothing is computed when no hook is registered, nor while the session's hooks are behind (a slow level hook
 * must not pile up work).
 */
export function meterInputLevel(runtime: ChannelRuntime, state: SessionState, audio: Uint8Array): void {
  if (!hasHooks(runtime, HookTrigger.ON_INPUT_AUDIO_LEVEL, state.session.roomId)) return;
  const now = runtime.clock.now();
  const inbound = state.inbound;
  if (now - inbound.lastLevelAt < runtime.options.levelIntervalMs || levelHooksBehind(state)) return;
  inbound.lastLevelAt = now;
  scheduleSessionHook(runtime, state, HookTrigger.ON_INPUT_AUDIO_LEVEL, levelEvent(state, audio));
}

export function meterOutputLevel(runtime: ChannelRuntime, state: SessionState, audio: Uint8Array): void {
  if (!hasHooks(runtime, HookTrigger.ON_OUTPUT_AUDIO_LEVEL, state.session.roomId)) return;
  const now = runtime.clock.now();
  const outbound = state.outbound;
  if (now - outbound.lastLevelAt < runtime.options.levelIntervalMs || levelHooksBehind(state)) return;
  outbound.lastLevelAt = now;
  scheduleSessionHook(runtime, state, HookTrigger.ON_OUTPUT_AUDIO_LEVEL, levelEvent(state, audio));
}

function levelEvent(state: SessionState, audio: Uint8Array): AudioLevelEvent {
  return { kind: "audio_level", session: state.session, levelDb: rmsDb(audio), timestamp: new Date() };
}
