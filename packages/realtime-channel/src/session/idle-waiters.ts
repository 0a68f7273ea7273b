import type { Clock } from "@roomkit/spec";
import type { SessionRegistry } from "./session-registry.ts";
import type { SessionState } from "./session-state.ts";

interface Waiter {
  roomId: string;
  resolve: (idle: boolean) => void;
}

/** A session is idle when the assistant is not responding and the user is not speaking. */
export function isSessionIdle(state: SessionState): boolean {
  return !state.isLive || (!state.speech.responseActive && !state.speech.userSpeaking);
}

/** `channel.waitIdle(roomId)`: resolved on the state changes that can make a room idle (no polling). */
export class IdleWaiters {
  readonly #waiters = new Set<Waiter>();
  readonly #sessions: SessionRegistry;
  readonly #clock: Clock;

  constructor(sessions: SessionRegistry, clock: Clock) {
    this.#sessions = sessions;
    this.#clock = clock;
  }

  wait(roomId: string, timeoutMs: number): Promise<boolean> {
    if (this.#roomIdle(roomId)) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const waiter: Waiter = {
        roomId,
        resolve: (idle) => {
          this.#clock.clearTimeout(timer);
          this.#waiters.delete(waiter);
          resolve(idle);
        },
      };
      const timer = this.#clock.setTimeout(() => waiter.resolve(false), timeoutMs);
      this.#waiters.add(waiter);
    });
  }

  /** Call after a response ends, the user stops speaking, or a session ends. */
  notify(roomId: string): void {
    if (this.#waiters.size === 0 || !this.#roomIdle(roomId)) return;
    for (const waiter of [...this.#waiters]) if (waiter.roomId === roomId) waiter.resolve(true);
  }

  #roomIdle(roomId: string): boolean {
    return this.#sessions.inRoom(roomId).every(isSessionIdle);
  }
}
