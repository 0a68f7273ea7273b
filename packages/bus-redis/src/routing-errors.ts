import { RoomKitError } from "@roomkit/spec";

export type CommandName = "injectText" | "reconfigureSession" | "endSession" | "sendEvent";

/**
 * The node that owns a voice session did not answer a routed call in time (it may be overloaded, partitioned from
 * Redis, or dead with its lease not yet expired). Recoverable: retrying later may reach it, or find the session ended.
 */
export class SessionRouteTimeoutError extends RoomKitError {
  readonly command: CommandName;
  readonly sessionId: string;
  readonly nodeId: string;

  constructor(options: { message: string; command: CommandName; sessionId: string; nodeId: string }) {
    super({ message: options.message, code: "session_route_timeout", recoverable: true });
    this.command = options.command;
    this.sessionId = options.sessionId;
    this.nodeId = options.nodeId;
  }
}

/** A routed call failed on the owning node; `code`, `recoverable` and the message are the owner's error's. */
export class RemoteCommandError extends RoomKitError {
  readonly nodeId: string;
  /** The class name of the error on the owner, e.g. `VoiceSessionEndedError`. */
  readonly remoteName: string;

  constructor(options: { name: string; code: string; message: string; recoverable: boolean; nodeId: string }) {
    super({
      message: `node ${options.nodeId}: ${options.message}`,
      code: options.code,
      recoverable: options.recoverable,
    });
    this.nodeId = options.nodeId;
    this.remoteName = options.name;
  }
}
