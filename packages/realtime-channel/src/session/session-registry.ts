import type { SessionState } from "./session-state.ts";

/** Sessions by id and by room (a room usually has one session: stored bare, an array only when shared). */
export class SessionRegistry {
  readonly #byId = new Map<string, SessionState>();
  readonly #byRoom = new Map<string, SessionState | SessionState[]>();

  get size(): number {
    return this.#byId.size;
  }

  get(sessionId: string): SessionState | undefined {
    return this.#byId.get(sessionId);
  }

  add(state: SessionState): void {
    this.#byId.set(state.session.id, state);
    const roomId = state.session.roomId;
    const current = this.#byRoom.get(roomId);
    if (current === undefined) this.#byRoom.set(roomId, state);
    else if (Array.isArray(current)) current.push(state);
    else this.#byRoom.set(roomId, [current, state]);
  }

  remove(state: SessionState): void {
    if (this.#byId.get(state.session.id) !== state) return;
    this.#byId.delete(state.session.id);
    const roomId = state.session.roomId;
    const current = this.#byRoom.get(roomId);
    if (current === state) this.#byRoom.delete(roomId);
    else if (Array.isArray(current)) {
      const rest = current.filter((entry) => entry !== state);
      if (rest.length === 0) this.#byRoom.delete(roomId);
      else this.#byRoom.set(roomId, rest.length === 1 ? rest[0]! : rest);
    }
  }

  inRoom(roomId: string): readonly SessionState[] {
    const current = this.#byRoom.get(roomId);
    if (current === undefined) return [];
    return Array.isArray(current) ? [...current] : [current];
  }

  all(): SessionState[] {
    return [...this.#byId.values()];
  }

  roomIds(): string[] {
    return [...this.#byRoom.keys()];
  }
}
