import { ALLOWED_METHODS } from "../sip/sip-builders.ts";
import { SipParseError } from "../sip/sip-errors.ts";
import type { ServerTransaction } from "../sip/transactions.ts";
import { handleCancel, handleInvite, type InboundHost } from "./inbound-invite.ts";
import { type DialogRequestHost, handleBye, handleInfo, handleUpdate } from "./in-dialog-requests.ts";

/** What routing a new server transaction needs from the backend (implemented by `SipVoiceBackend`). */
export type RequestDispatchHost = InboundHost & DialogRequestHost;

/** Hands a new server transaction to the handler of its method; OPTIONS is answered here, other methods get 405. */
export function dispatchRequest(host: RequestDispatchHost, transaction: ServerTransaction): void {
  try {
    route(host, transaction);
  } catch (error) {
    answerRequestFailure(host, transaction, error);
  }
}

function route(host: RequestDispatchHost, transaction: ServerTransaction): void {
  switch (transaction.request.method) {
    case "INVITE":
      void handleInvite(host, transaction).catch((error: unknown) => answerRequestFailure(host, transaction, error));
      return;
    case "BYE":
      handleBye(host, transaction);
      return;
    case "CANCEL":
      handleCancel(host, transaction);
      return;
    case "OPTIONS":
      host.respond(transaction, 200, "OK", {
        headers: [
          { name: "Allow", value: ALLOWED_METHODS },
          { name: "Accept", value: "application/sdp" },
        ],
      });
      return;
    case "UPDATE":
      handleUpdate(host, transaction);
      return;
    case "INFO":
      handleInfo(host, transaction);
      return;
    default:
      host.respond(transaction, 405, undefined, { headers: [{ name: "Allow", value: ALLOWED_METHODS }] });
  }
}

/** A request that could not be handled: 400 when it was malformed (a From, To or CSeq we cannot read), else 500. */
function answerRequestFailure(host: RequestDispatchHost, transaction: ServerTransaction, error: unknown): void {
  const malformed = error instanceof SipParseError;
  if (malformed) host.stats.parseErrors++;
  else host.logger.error("SIP: request handling failed", { method: transaction.request.method, error: String(error) });
  host.respond(transaction, malformed ? 400 : 500, malformed ? `Bad Request (${(error as Error).message})` : undefined);
}
