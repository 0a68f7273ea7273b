import type { ChannelFramework, HookDispatchOrigin, SyncHookOutcome } from "@roomkit/core";
import { ChannelType, type HookTrigger } from "@roomkit/spec";
import type { ChannelRuntime } from "../runtime.ts";
import type { SessionState } from "../session/session-state.ts";
import { HookState } from "./hook-state.ts";

/** The no-hooks fast path: true only when a framework is set, not closing, and a hook exists for the trigger. */
export function hasHooks(runtime: ChannelRuntime, trigger: HookTrigger, roomId: string): boolean {
  const framework = runtime.framework();
  return framework !== undefined && !framework.isClosing && framework.hasHooks(trigger, roomId);
}

export function hookOrigin(runtime: ChannelRuntime, roomId: string): HookDispatchOrigin {
  return { roomId, channelId: runtime.channelId, channelType: ChannelType.REALTIME_VOICE, direction: "inbound" };
}

/**
 * Sync hooks for a realtime trigger. No RoomContext is passed: the framework builds one only when a hook passes
 * its filters, so hooks scoped to other channels cost nothing here.
 */
export function runChannelSyncHooks<Event>(
  runtime: ChannelRuntime,
  framework: ChannelFramework,
  trigger: HookTrigger,
  event: Event,
  roomId: string,
): Promise<SyncHookOutcome<Event>> {
  return framework.runSyncHooks(trigger, event, hookOrigin(runtime, roomId));
}

/** Hook events a session may have waiting behind a slow hook before new ones are dropped (and counted). */
const MAX_PENDING_SESSION_HOOKS = 256;
/** Level events are samples: skipped while this many of the session's hooks are still waiting or running. */
const LEVEL_HOOK_BACKLOG = 2;

/** The session's hooks are far enough behind that a level sample is skipped. */
export function levelHooksBehind(state: SessionState): boolean {
  const hooks = state.hooks;
  return hooks !== undefined && hooks.pending >= LEVEL_HOOK_BACKLOG;
}

/**
 * Runs async (observing) hooks for one session, in the order they were scheduled for that session, beside the
 * audio path. Callers check `hasHooks` first, so nothing is built or allocated when no hook is registered.
 */
export function scheduleSessionHook(
  runtime: ChannelRuntime,
  state: SessionState,
  trigger: HookTrigger,
  payload: unknown,
): void {
  const framework = runtime.framework();
  if (!framework) return;
  const hooks = (state.hooks ??= new HookState());
  if (hooks.pending >= MAX_PENDING_SESSION_HOOKS) {
    if (hooks.dropped++ % 100 === 0) {
      runtime.logger.warn("Session hooks are too far behind; dropping a hook event", {
        trigger,
        sessionId: state.session.id,
        dropped: hooks.dropped,
      });
    }
    return;
  }
  hooks.pending++;
  const roomId = state.session.roomId;
  const run = async () => {
    try {
      // The framework builds the RoomContext only if a hook passes its filters.
      await framework.runAsyncHooks(trigger, payload, hookOrigin(runtime, roomId));
    } catch (error) {
      runtime.logger.warn("Realtime hook failed", { trigger, sessionId: state.session.id, error });
    } finally {
      hooks.pending--;
    }
  };
  const tail = hooks.tail ?? Promise.resolve();
  const next = tail.then(run);
  hooks.tail = next;
  void next.then(() => {
    if (hooks.tail === next) hooks.tail = undefined;
  });
}

/** Async hooks not tied to a session's order (text injected from a broadcast, errors). */
export function fireAsyncHook(
  runtime: ChannelRuntime,
  roomId: string,
  trigger: HookTrigger,
  payload: unknown,
): Promise<void> {
  const framework = runtime.framework();
  if (!framework) return Promise.resolve();
  return (async () => {
    try {
      await framework.runAsyncHooks(trigger, payload, hookOrigin(runtime, roomId));
    } catch (error) {
      runtime.logger.warn("Realtime hook failed", { trigger, roomId, error });
    }
  })();
}

/** Emits a framework event; never throws. */
export function emitFrameworkEvent(
  runtime: ChannelRuntime,
  type: string,
  roomId: string | undefined,
  data: Record<string, unknown>,
): void {
  const framework = runtime.framework();
  if (!framework) return;
  try {
    framework.emitFrameworkEvent(type, { roomId, channelId: runtime.channelId, data });
  } catch (error) {
    runtime.logger.warn("Framework event handler failed", { type, error });
  }
}
