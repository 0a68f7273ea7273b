import { InvalidArgumentError } from "../errors/invalid-argument-error.ts";

export type HookAction = "allow" | "block" | "modify";

export interface HookResultInit {
  action: HookAction;
  event?: unknown;
  reason?: string;
  metadata?: Record<string, unknown>;
}

/** What a sync hook returns: let the event through, stop it, or replace it. */
export class HookResult {
  readonly action: HookAction;
  readonly event: unknown;
  readonly reason: string | undefined;
  readonly metadata: Record<string, unknown>;

  constructor(init: HookResultInit) {
    if (init.action === "block" && !init.reason) {
      throw new InvalidArgumentError("HookResult.block requires a reason");
    }
    if (init.action === "modify" && init.event === undefined) {
      throw new InvalidArgumentError("HookResult.modify requires an event");
    }
    this.action = init.action;
    this.event = init.event;
    this.reason = init.reason;
    this.metadata = init.metadata ?? {};
  }

  static allow(metadata?: Record<string, unknown>): HookResult {
    return new HookResult({ action: "allow", metadata });
  }
  static block(reason: string, metadata?: Record<string, unknown>): HookResult {
    return new HookResult({ action: "block", reason, metadata });
  }
  static modify(event: unknown, metadata?: Record<string, unknown>): HookResult {
    return new HookResult({ action: "modify", event, metadata });
  }

  static isInstance(value: unknown): value is HookResult {
    return value instanceof HookResult;
  }
}
