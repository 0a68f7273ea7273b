import type { HookExecution, HookRegistration, HookTrigger } from "@roomkit/spec";
import type { HookDispatchOrigin } from "../channels/channel-framework.ts";

/**
 * Global and per-room hook registrations with an O(1) "any hook for this trigger?" index and a cached,
 * priority-sorted list per (room, trigger). Global hooks come before room hooks at equal priority.
 */
export class HookRegistry {
  private readonly globalHooks: HookRegistration[] = [];
  private readonly roomHooks = new Map<string, HookRegistration[]>();
  /** Registrations per trigger over global and every room (for `hasHooks(trigger)` without a room). */
  private readonly anyCount = new Map<string, number>();
  private readonly globalCount = new Map<string, number>();
  private readonly roomCount = new Map<string, Map<string, number>>();
  private readonly sortedCache = new Map<string, HookRegistration[]>();

  add(registration: HookRegistration): void {
    if (registration.roomId === undefined) {
      this.globalHooks.push(registration);
      increment(this.globalCount, registration.trigger, 1);
    } else {
      let list = this.roomHooks.get(registration.roomId);
      if (!list) {
        list = [];
        this.roomHooks.set(registration.roomId, list);
      }
      list.push(registration);
      let counts = this.roomCount.get(registration.roomId);
      if (!counts) {
        counts = new Map();
        this.roomCount.set(registration.roomId, counts);
      }
      increment(counts, registration.trigger, 1);
    }
    increment(this.anyCount, registration.trigger, 1);
    this.sortedCache.clear();
  }

  /** Removes one registration (by identity). */
  remove(registration: HookRegistration): boolean {
    const list = registration.roomId === undefined ? this.globalHooks : this.roomHooks.get(registration.roomId);
    const position = list ? list.indexOf(registration) : -1;
    if (!list || position < 0) return false;
    list.splice(position, 1);
    if (registration.roomId === undefined) {
      increment(this.globalCount, registration.trigger, -1);
    } else {
      const counts = this.roomCount.get(registration.roomId);
      if (counts) increment(counts, registration.trigger, -1);
      if (list.length === 0) {
        this.roomHooks.delete(registration.roomId);
        this.roomCount.delete(registration.roomId);
      }
    }
    increment(this.anyCount, registration.trigger, -1);
    this.sortedCache.clear();
    return true;
  }

  /** Removes the first global hook with this name. */
  removeGlobal(name: string): boolean {
    const found = this.globalHooks.find((hook) => hook.name === name);
    return found ? this.remove(found) : false;
  }

  /** Removes the first hook of the room with this name. */
  removeFromRoom(roomId: string, name: string): boolean {
    const found = this.roomHooks.get(roomId)?.find((hook) => hook.name === name);
    return found ? this.remove(found) : false;
  }

  /** O(1). Without a room: any global hook or any room's hook for the trigger. */
  hasHooks(trigger: HookTrigger, roomId?: string): boolean {
    if (roomId === undefined) return (this.anyCount.get(trigger) ?? 0) > 0;
    if ((this.globalCount.get(trigger) ?? 0) > 0) return true;
    return (this.roomCount.get(roomId)?.get(trigger) ?? 0) > 0;
  }

  /** Global then room hooks for the trigger, stable-sorted by ascending priority. Cached until the next change. */
  sorted(trigger: HookTrigger, roomId: string | undefined): readonly HookRegistration[] {
    // Rooms without hooks of their own share the global list, so the cache does not grow with every room served.
    const key = roomId === undefined || !this.roomHooks.has(roomId) ? trigger : `${trigger}\u0000${roomId}`;
    const cached = this.sortedCache.get(key);
    if (cached) return cached;
    const merged = this.globalHooks.filter((hook) => hook.trigger === trigger);
    if (key !== trigger && roomId !== undefined) {
      for (const hook of this.roomHooks.get(roomId) ?? []) if (hook.trigger === trigger) merged.push(hook);
    }
    merged.sort((left, right) => left.priority - right.priority);
    this.sortedCache.set(key, merged);
    return merged;
  }

  /** The hooks that apply to a dispatch: trigger, optional execution mode, and the origin filters. */
  select(trigger: HookTrigger, origin: HookDispatchOrigin, execution: HookExecution | undefined): HookRegistration[] {
    const selected: HookRegistration[] = [];
    for (const hook of this.sorted(trigger, origin.roomId)) {
      if (execution !== undefined && hook.execution !== execution) continue;
      if (matchesOrigin(hook, origin)) selected.push(hook);
    }
    return selected;
  }

  /** Sorted lists cached (tests). */
  get cachedLists(): number {
    return this.sortedCache.size;
  }

  /** Drops every registration of a room (closeRoom). */
  clearRoom(roomId: string): void {
    for (const hook of [...(this.roomHooks.get(roomId) ?? [])]) this.remove(hook);
  }
}

/**
 * A hook's `channelTypes`/`channelIds`/`directions` filters must all match the dispatch origin; a filter on a
 * field the origin does not carry does not match (a channel-scoped hook never fires for room-level dispatches).
 */
export function matchesOrigin(hook: HookRegistration, origin: HookDispatchOrigin): boolean {
  if (hook.channelTypes && !(origin.channelType !== undefined && hook.channelTypes.includes(origin.channelType))) {
    return false;
  }
  if (hook.channelIds && !(origin.channelId !== undefined && hook.channelIds.includes(origin.channelId))) {
    return false;
  }
  if (hook.directions && !(origin.direction !== undefined && hook.directions.includes(origin.direction))) {
    return false;
  }
  return true;
}

function increment(counts: Map<string, number>, key: string, delta: number): void {
  const next = (counts.get(key) ?? 0) + delta;
  if (next <= 0) counts.delete(key);
  else counts.set(key, next);
}
