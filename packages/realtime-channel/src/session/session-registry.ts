import type { SessionState } from "./session-state.ts";

/** Sessions by id and by room. */
export class SessionRegistry {
  readonly #byId = new Map<string, SessionState>();
  readonly #byRoom = new Map<string, Set<SessionState>>();

  get size(): number {
    return this.#byId.size;
  }

  get(sessionId: string): SessionState | undefined {
    return this.#byId.get(sessionId);
  }

  add(state: SessionState): void {
    this.#byId.set(state.session.id, state);
    const roomId = state.session.roomId;
    let room = this.#byRoom.get(roomId);
    if (!room) this.#byRoom.set(roomId, (room = new Set()));
    room.add(state);
  }

  remove(state: SessionState): void {
    if (this.#byId.get(state.session.id) !== state) return;
    this.#byId.delete(state.session.id);
    const room = this.#byRoom.get(state.session.roomId);
    if (room) {
      room.delete(state);
      if (room.size === 0) this.#byRoom.delete(state.session.roomId);
    }
  }

  inRoom(roomId: string): readonly SessionState[] {
    const room = this.#byRoom.get(roomId);
    return room ? [...room] : [];
  }

  all(): SessionState[] {
    return [...this.#byId.values()];
  }

  roomIds(): string[] {
    return [...this.#byRoom.keys()];
  }
}
