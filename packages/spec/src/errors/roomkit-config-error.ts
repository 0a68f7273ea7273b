import { InvalidArgumentError } from "./invalid-argument-error.ts";

export interface RoomKitConfigErrorOptions {
  /** The class or function whose options were refused, e.g. `RealtimeVoiceChannel`. */
  component: string;
  /** The option's path, e.g. `providerConfig.reconnect.maxAttempts` ("" for the options object itself). */
  field: string;
  /** What went wrong, e.g. `expected a positive integer, received -1`. */
  problem: string;
  /** The values or shape accepted, when they can be listed, e.g. `"pcm16" | "mulaw"`. */
  accepted?: string;
  cause?: unknown;
}

/**
 * A constructor or function was given options it cannot use. Every public constructor throws this (never a
 * plain `Error`): the message names the component, the field and, when known, the accepted values.
 * It is an `InvalidArgumentError`, so code catching that keeps working.
 */
export class RoomKitConfigError extends InvalidArgumentError {
  readonly component: string;
  readonly field: string;
  readonly accepted: string | undefined;

  constructor(options: RoomKitConfigErrorOptions) {
    const where = options.field === "" ? "options" : `option "${options.field}"`;
    const accepted = options.accepted === undefined ? "" : ` (accepted: ${options.accepted})`;
    super({
      code: "invalid_config",
      message: `${options.component}: ${where}: ${options.problem}${accepted}`,
      cause: options.cause,
    });
    this.component = options.component;
    this.field = options.field;
    this.accepted = options.accepted;
  }
}
