import type { Clock, HookRegistration, HookReturn, RoomContext } from "@roomkit/spec";

export type HookInvocation =
  | { status: "returned"; value: HookReturn }
  | { status: "threw"; error: unknown }
  | { status: "timed_out" };

/** Calls one hook with its timeout (on the injected clock). Never throws. */
export function runHookWithTimeout(
  hook: HookRegistration,
  event: unknown,
  context: RoomContext,
  clock: Clock,
): Promise<HookInvocation> {
  let returned: HookReturn | Promise<HookReturn>;
  try {
    returned = hook.fn(event, context);
  } catch (error) {
    return Promise.resolve({ status: "threw", error });
  }
  if (!isThenable(returned)) return Promise.resolve({ status: "returned", value: returned });
  return new Promise<HookInvocation>((resolve) => {
    let settled = false;
    const timer = clock.setTimeout(() => {
      if (settled) return;
      settled = true;
      resolve({ status: "timed_out" });
    }, hook.timeout);
    (returned as Promise<HookReturn>).then(
      (value) => {
        if (settled) return;
        settled = true;
        clock.clearTimeout(timer);
        resolve({ status: "returned", value });
      },
      (error: unknown) => {
        if (settled) return;
        settled = true;
        clock.clearTimeout(timer);
        resolve({ status: "threw", error });
      },
    );
  });
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === "object" && value !== null && typeof (value as { then?: unknown }).then === "function";
}

/**
 * The payload "type" for the fail-closed modify check: a `kind` tag when the payload has one (spec hook events
 * do), else its prototype (class) and JS type.
 */
export function samePayloadType(original: unknown, replacement: unknown): boolean {
  if (typeof original !== typeof replacement) return false;
  if (typeof original !== "object" || original === null || replacement === null) return true;
  const originalKind = (original as { kind?: unknown }).kind;
  const replacementKind = (replacement as { kind?: unknown }).kind;
  if (originalKind !== undefined || replacementKind !== undefined) return originalKind === replacementKind;
  return Object.getPrototypeOf(original) === Object.getPrototypeOf(replacement);
}
