import { RoomKitError, type RoomKitErrorOptions } from "./roomkit-error.ts";

/** A state change was attempted on a voice session that has already ended. */
export class VoiceSessionEndedError extends RoomKitError {
  constructor(options: RoomKitErrorOptions | string) {
    const resolved = typeof options === "string" ? { message: options } : options;
    super({ code: "voice_session_ended", ...resolved });
  }
}
