import { RoomKitError } from "@roomkit/spec";

/** A SIP message (or one of its headers) could not be parsed. The datagram is dropped or answered with 400. */
export class SipParseError extends RoomKitError {
  constructor(message: string) {
    super({ message, code: "sip_parse_error", recoverable: true });
  }
}

/** An SDP offer could not be parsed or shares no codec with us: the INVITE is answered with 488. */
export class SdpNegotiationError extends RoomKitError {
  constructor(message: string) {
    super({ message, code: "sdp_negotiation_error", recoverable: true });
  }
}

/** A SIP operation failed (socket, no port left, call not in a state that allows it). */
export class SipError extends RoomKitError {
  constructor(message: string, options: { cause?: unknown; code?: string; recoverable?: boolean } = {}) {
    super({ message, code: options.code ?? "sip_error", cause: options.cause, recoverable: options.recoverable });
  }
}

/** The far end refused an outbound call with a final response (e.g. 486 Busy Here, 603 Decline). */
export class SipCallRejectedError extends SipError {
  readonly status: number;
  readonly reason: string;

  constructor(status: number, reason: string) {
    super(`Call rejected: ${status} ${reason}`, { code: "sip_call_rejected", recoverable: true });
    this.status = status;
    this.reason = reason;
  }
}

/** An outbound call got no final response in time (after a CANCEL when it was ringing). */
export class SipTimeoutError extends SipError {
  constructor(message: string) {
    super(message, { code: "sip_timeout", recoverable: true });
  }
}
