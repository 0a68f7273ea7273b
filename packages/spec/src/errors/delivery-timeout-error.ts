import { RoomKitError } from "./roomkit-error.ts";

export interface DeliveryTimeoutErrorOptions {
  /** The channel that did not finish receiving the broadcast. */
  channelId: string;
  /** The limit it exceeded (`RoomKit`'s `deliveryTimeoutMs`). */
  timeoutMs: number;
}

/**
 * A channel did not finish receiving a broadcast (`onEvent`, then `deliver`) within the delivery timeout. The room
 * moves on; the failure is reported as `delivery_failed` and to `ON_ERROR` hooks (`error_type: "DeliveryTimeoutError"`).
 */
export class DeliveryTimeoutError extends RoomKitError {
  readonly channelId: string;
  readonly timeoutMs: number;

  constructor(options: DeliveryTimeoutErrorOptions) {
    super({
      code: "delivery_timeout",
      message: `channel ${options.channelId} did not finish receiving within ${options.timeoutMs} ms`,
    });
    this.channelId = options.channelId;
    this.timeoutMs = options.timeoutMs;
  }
}
