import type { ChannelRuntime } from "../runtime.ts";
import type { SessionState } from "./session-state.ts";

interface Waiter {
  roomId: string;
  resolve: (idle: boolean) => void;
}

/** A session is idle when the assistant is not responding and the user is not speaking. */
export function isSessionIdle(state: SessionState): boolean {
  return !state.isLive || (!state.responseActive && !state.userSpeaking);
}

/** `channel.waitIdle(roomId)`: resolved on the state changes that can make a room idle (no polling). */
export class IdleWaiters {
  readonly #waiters = new Set<Waiter>();

  wait(runtime: ChannelRuntime, roomId: string, timeoutMs: number): Promise<boolean> {
    if (roomIdle(runtime, roomId)) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const waiter: Waiter = {
        roomId,
        resolve: (idle) => {
          runtime.clock.clearTimeout(timer);
          this.#waiters.delete(waiter);
          resolve(idle);
        },
      };
      const timer = runtime.clock.setTimeout(() => waiter.resolve(false), timeoutMs);
      this.#waiters.add(waiter);
    });
  }

  /** Call after a response ends, the user stops speaking, or a session ends. */
  notify(runtime: ChannelRuntime, roomId: string): void {
    if (this.#waiters.size === 0 || !roomIdle(runtime, roomId)) return;
    for (const waiter of [...this.#waiters]) if (waiter.roomId === roomId) waiter.resolve(true);
  }
}

function roomIdle(runtime: ChannelRuntime, roomId: string): boolean {
  return runtime.sessions.inRoom(roomId).every(isSessionIdle);
}
