import { type ChannelBinding, ChannelCategory, type RoomContext, type RoomEvent } from "@roomkit/spec";
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

/**
 * Delivers to every target concurrently: `onEvent` for each, then `deliver` for TRANSPORT bindings.
 * A target that throws does not stop the others; its failure is returned.
 */
export async function broadcast(
  event: RoomEvent,
  targets: readonly BroadcastTarget[],
  context: RoomContext,
): Promise<BroadcastFailure[]> {
  if (targets.length === 1) {
    const failure = await deliverTo(event, targets[0] as BroadcastTarget, context);
    return failure ? [failure] : [];
  }
  const results = await Promise.all(targets.map((target) => deliverTo(event, target, context)));
  const failures: BroadcastFailure[] = [];
  for (const result of results) if (result) failures.push(result);
  return failures;
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
