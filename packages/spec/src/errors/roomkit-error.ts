const MARKER = Symbol.for("roomkit.error");

export interface RoomKitErrorOptions {
  message: string;
  cause?: unknown;
  /** Whether the operation can continue (a provider/transport keeps the session alive). */
  recoverable?: boolean;
  /** A short machine-readable code, e.g. `provider_closed` or the provider's own error code. */
  code?: string;
}

/**
 * Base class of every error RoomKit throws or reports. `RoomKitError.isInstance(x)` works across duplicate
 * copies of the package (it checks a global-symbol marker, not the prototype chain).
 */
export class RoomKitError extends Error {
  readonly [MARKER] = true;
  readonly recoverable: boolean;
  readonly code: string;

  constructor(options: RoomKitErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.recoverable = options.recoverable ?? false;
    this.code = options.code ?? "roomkit_error";
  }

  static isInstance(value: unknown): value is RoomKitError {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[MARKER] === true;
  }
}
