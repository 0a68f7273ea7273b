import { ChannelCategory, type ChannelBinding, type Visibility } from "@roomkit/spec";

/**
 * Whether an event with `visibility` reaches `target`: `all`, `none`, `internal` (stored only), `transport`,
 * `intelligence` (by binding category), or one or more comma-separated channel ids.
 */
export function visibilityAllows(
  visibility: Visibility,
  target: Pick<ChannelBinding, "channelId" | "category">,
): boolean {
  switch (visibility) {
    case "all":
      return true;
    case "none":
    case "internal":
      return false;
    case "transport":
      return target.category === ChannelCategory.TRANSPORT;
    case "intelligence":
      return target.category === ChannelCategory.INTELLIGENCE;
    default:
      if (visibility.includes(",")) {
        return visibility.split(",").some((channelId) => channelId.trim() === target.channelId);
      }
      return visibility.trim() === target.channelId;
  }
}
