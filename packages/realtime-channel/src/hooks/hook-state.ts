/** The session's ordered async hooks (owned by `hook-dispatch.ts`); created on the session's first hook. */
export class HookState {
  tail: Promise<void> | undefined;
  /** Hooks scheduled and not finished (the backlog behind `tail`). */
  pending = 0;
  dropped = 0;
}
