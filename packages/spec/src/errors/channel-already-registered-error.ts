import { RoomKitError, type RoomKitErrorOptions } from "./roomkit-error.ts";

/** A channel with the same id is already registered. */
export class ChannelAlreadyRegisteredError extends RoomKitError {
  constructor(options: RoomKitErrorOptions | string) {
    const resolved = typeof options === "string" ? { message: options } : options;
    super({ code: "channel_already_registered", ...resolved });
  }
}
