import { RoomKitError, type RoomKitErrorOptions } from "./roomkit-error.ts";

/** No API key was given and the environment variable that would supply it is not set. */
export class LoadApiKeyError extends RoomKitError {
  constructor(options: RoomKitErrorOptions | string) {
    const resolved = typeof options === "string" ? { message: options } : options;
    super({ code: "load_api_key", ...resolved });
  }
}
