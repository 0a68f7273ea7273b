import {
  type Clock,
  FAIL_CLOSED_TRIGGERS,
  HookError,
  HookExecution,
  type HookRegistration,
  HookResult,
  HookTimeoutError,
  type HookTrigger,
  type Logger,
  parseOptions,
  type RoomContext,
} from "@roomkit/spec";
import type { HookDispatchOrigin, SyncHookOutcome } from "../channels/channel-framework.ts";
import { hookEngineOptionsSchema } from "../options/component-schemas.ts";
import type { HookRegistry } from "./hook-registry.ts";
import { runHookWithTimeout, samePayloadType } from "./run-hook.ts";

export interface HookEngineOptions {
  registry: HookRegistry;
  clock: Clock;
  logger: Logger;
  /** Builds the RoomContext hooks receive; called at most once per dispatch and only when a hook matches. */
  buildContext: (roomId: string | undefined) => Promise<RoomContext>;
  /** Emits `hook_timeout` (and friends) as framework events. */
  emit: (type: string, roomId: string | undefined, data: Record<string, unknown>) => void;
}

/** Runs hooks as RoomKit's §1.6 describes; filters are honoured for every trigger. */
export class HookEngine {
  private readonly options: HookEngineOptions;

  constructor(options: HookEngineOptions) {
    parseOptions("HookEngine", hookEngineOptionsSchema, options);
    this.options = options;
  }

  /**
   * Sync hooks in priority order: `modify` chains the payload, metadata merges (later wins), `block` stops.
   * Errors, timeouts and invalid returns are skipped, except on fail-closed triggers where they block.
   * A hook may return nothing (allow) or `{ result }` (allow and record `outcome.result`).
   * When not blocked, the ASYNC-registered hooks of the trigger are then started concurrently with the final payload
   * (not awaited).
   */
  async runSync<Event>(
    trigger: HookTrigger,
    event: Event,
    origin: HookDispatchOrigin,
    context?: RoomContext,
  ): Promise<SyncHookOutcome<Event>> {
    const outcome: SyncHookOutcome<Event> = { allowed: true, event, metadata: {}, errors: [] };
    const { registry } = this.options;
    if (!registry.hasHooks(trigger, origin.roomId)) return outcome;
    const syncHooks = registry.select(trigger, origin, HookExecution.SYNC);
    const asyncHooks = registry.select(trigger, origin, HookExecution.ASYNC);
    if (syncHooks.length === 0 && asyncHooks.length === 0) return outcome;
    const resolvedContext = context ?? (await this.options.buildContext(origin.roomId));
    const failClosed = FAIL_CLOSED_TRIGGERS.has(trigger);

    for (const hook of syncHooks) {
      const invocation = await runHookWithTimeout(hook, outcome.event, resolvedContext, this.options.clock);
      let problem: string | undefined;
      if (invocation.status === "timed_out") {
        this.reportTimeout(hook, trigger, origin.roomId);
        const error = new HookTimeoutError({ hookName: hook.name, trigger, timeoutMs: hook.timeout });
        problem = error.message;
        outcome.errors.push({ hookName: hook.name, error });
      } else if (invocation.status === "threw") {
        this.options.logger.error("sync hook failed", { hook: hook.name, trigger, error: describe(invocation.error) });
        problem = `hook ${hook.name} failed: ${describe(invocation.error)}`;
        outcome.errors.push({ hookName: hook.name, error: invocation.error });
      } else {
        const value = invocation.value;
        if (value === undefined || value === null) continue;
        if (!HookResult.isInstance(value)) {
          if (typeof value === "object" && "result" in value) {
            outcome.result = value.result;
            continue;
          }
          problem = `hook ${hook.name} returned ${typeof value} instead of HookResult`;
          this.options.logger.error("sync hook returned an invalid value", { hook: hook.name, trigger });
          outcome.errors.push({
            hookName: hook.name,
            error: new HookError({ code: "hook_invalid_result", message: problem }),
          });
        } else {
          Object.assign(outcome.metadata, value.metadata);
          if (value.action === "block") {
            outcome.allowed = false;
            outcome.reason = value.reason;
            outcome.blockedBy = hook.name;
            return outcome;
          }
          if (value.action === "modify") {
            if (failClosed && !samePayloadType(outcome.event, value.event)) {
              problem = `hook ${hook.name} returned an unusable payload`;
              const error = new HookError({ code: "hook_invalid_result", message: problem });
              outcome.errors.push({ hookName: hook.name, error });
            } else {
              outcome.event = value.event as Event;
            }
          }
        }
      }
      if (problem !== undefined && failClosed) {
        outcome.allowed = false;
        outcome.reason = problem;
        outcome.blockedBy = hook.name;
        return outcome;
      }
    }

    // Observers are started, not awaited: a slow one must not delay the answer (a tool result, a stored event)
    // or hold the room lock. They never throw; failures and timeouts are logged and reported as hook_timeout.
    if (asyncHooks.length > 0) void this.runConcurrently(asyncHooks, trigger, outcome.event, origin, resolvedContext);
    return outcome;
  }

  /** Every hook for the trigger (whatever its declared execution), concurrently; errors are logged only. */
  async runAsync(
    trigger: HookTrigger,
    event: unknown,
    origin: HookDispatchOrigin,
    context?: RoomContext,
  ): Promise<void> {
    if (!this.options.registry.hasHooks(trigger, origin.roomId)) return;
    const hooks = this.options.registry.select(trigger, origin, undefined);
    if (hooks.length === 0) return;
    const resolvedContext = context ?? (await this.options.buildContext(origin.roomId));
    await this.runConcurrently(hooks, trigger, event, origin, resolvedContext);
  }

  private async runConcurrently(
    hooks: readonly HookRegistration[],
    trigger: HookTrigger,
    event: unknown,
    origin: HookDispatchOrigin,
    context: RoomContext,
  ): Promise<void> {
    const invocations = await Promise.all(
      hooks.map((hook) => runHookWithTimeout(hook, event, context, this.options.clock)),
    );
    invocations.forEach((invocation, position) => {
      const hook = hooks[position] as HookRegistration;
      if (invocation.status === "timed_out") this.reportTimeout(hook, trigger, origin.roomId);
      else if (invocation.status === "threw") {
        this.options.logger.error("async hook failed", { hook: hook.name, trigger, error: describe(invocation.error) });
      }
    });
  }

  private reportTimeout(hook: HookRegistration, trigger: HookTrigger, roomId: string | undefined): void {
    this.options.logger.warn("hook timed out", { hook: hook.name, trigger, timeout: hook.timeout });
    this.options.emit("hook_timeout", roomId, { hookName: hook.name, trigger, timeout: hook.timeout });
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
