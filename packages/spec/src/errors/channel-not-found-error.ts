import { RoomKitError, type RoomKitErrorOptions } from "./roomkit-error.ts";

/** The channel is not registered or not attached to the room. */
export class ChannelNotFoundError extends RoomKitError {
  constructor(options: RoomKitErrorOptions | string) {
    const resolved = typeof options === "string" ? { message: options } : options;
    super({ code: "channel_not_found", ...resolved });
  }
}
