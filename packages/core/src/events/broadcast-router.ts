import {
  type ChannelBinding,
  ChannelCategory,
  type Clock,
  DeliveryTimeoutError,
  type RoomContext,
  type RoomEvent,
} from "@roomkit/spec";
import { canRead } from "../channels/bindings.ts";
import type { ChannelLike } from "../channels/channel-like.ts";
import type { ChannelRegistry } from "../channels/channel-registry.ts";
import { visibilityAllows } from "./visibility.ts";

export interface BroadcastTarget {
  channel: ChannelLike;
  binding: ChannelBinding;
}

export interface BroadcastFailure {
  channelId: string;
  binding: ChannelBinding;
  error: unknown;
}

/**
 * The bindings that receive a stored event: every other registered channel in the room whose access reads
 * (not WRITE_ONLY/NONE; muted ones still receive) and whom the event's visibility admits.
 */
export function selectTargets(
  event: RoomEvent,
  bindings: readonly ChannelBinding[],
  registry: ChannelRegistry,
): BroadcastTarget[] {
  const targets: BroadcastTarget[] = [];
  for (const binding of bindings) {
    if (binding.channelId === event.source.channelId) continue;
    if (!canRead(binding) || !visibilityAllows(event.visibility, binding)) continue;
    const channel = registry.find(binding.channelId);
    if (channel) targets.push({ channel, binding });
  }
  return targets;
}

export interface BroadcastOptions {
  clock: Clock;
  /** A target that has not finished after this long is reported as failed and no longer waited for. */
  timeoutMs: number;
}

/**
 * Delivers to every target concurrently: `onEvent` for each, then `deliver` for TRANSPORT bindings.
 * A target that throws or exceeds the timeout does not stop the others; its failure is returned.
 * One timer per broadcast, not per target.
 */
export function broadcast(
  event: RoomEvent,
  targets: readonly BroadcastTarget[],
  context: RoomContext,
  options: BroadcastOptions,
): Promise<BroadcastFailure[]> {
  return new Promise((resolve) => {
    const failures: BroadcastFailure[] = [];
    const settled = new Array<boolean>(targets.length).fill(false);
    let remaining = targets.length;
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      options.clock.clearTimeout(timer);
      resolve(failures);
    };
    const timer = options.clock.setTimeout(() => {
      targets.forEach((target, position) => {
        if (settled[position]) return;
        failures.push({
          channelId: target.binding.channelId,
          binding: target.binding,
          error: new DeliveryTimeoutError({ channelId: target.binding.channelId, timeoutMs: options.timeoutMs }),
        });
      });
      finish();
    }, options.timeoutMs);
    targets.forEach((target, position) => {
      deliverTo(event, target, context).then((failure) => {
        if (finished) return;
        settled[position] = true;
        if (failure) failures.push(failure);
        remaining -= 1;
        if (remaining === 0) finish();
      });
    });
  });
}

async function deliverTo(
  event: RoomEvent,
  target: BroadcastTarget,
  context: RoomContext,
): Promise<BroadcastFailure | undefined> {
  try {
    await target.channel.onEvent(event, target.binding, context);
    if (target.binding.category === ChannelCategory.TRANSPORT) {
      await target.channel.deliver(event, target.binding, context);
    }
    return undefined;
  } catch (error) {
    return { channelId: target.binding.channelId, binding: target.binding, error };
  }
}
