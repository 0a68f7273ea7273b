import type { Clock } from "@roomkit/spec";
import { parseCSeq, parseVia } from "./sip-headers.ts";
import { headerValue, type SipRequest, type SipResponse } from "./sip-message.ts";

export interface SipAddress {
  address: string;
  port: number;
}

export interface TransactionTimers {
  /** RTT estimate (default 500 ms). */
  t1Ms: number;
  /** Maximum retransmit interval (default 4000 ms). */
  t2Ms: number;
  /** Maximum time a message stays in the network (default 5000 ms). */
  t4Ms: number;
}

export const DEFAULT_TIMERS: TransactionTimers = { t1Ms: 500, t2Ms: 4000, t4Ms: 5000 };

type ServerState = "proceeding" | "accepted" | "completed" | "confirmed" | "terminated";

/** One server transaction (RFC 3261 §17.2, with RFC 6026's Accepted state for 2xx to INVITE). */
export interface ServerTransaction {
  readonly key: string;
  readonly branch: string;
  readonly request: SipRequest;
  readonly source: SipAddress;
  state: ServerState;
  lastResponse: Uint8Array | undefined;
  lastStatus: number;
  responseDestination: SipAddress;
  timers: unknown[];
}

export interface ServerTransactionLayerOptions {
  clock: Clock;
  timers: TransactionTimers;
  send: (bytes: Uint8Array, destination: SipAddress) => void;
  /** A non-2xx final response to an INVITE got no ACK within Timer H. */
  onAckTimeout?: (transaction: ServerTransaction) => void;
}

export type ReceiveResult =
  | { kind: "new"; transaction: ServerTransaction }
  | { kind: "absorbed" }
  /** An ACK that matched a non-2xx final response: consumed by the transaction. */
  | { kind: "ack-consumed" }
  /** An ACK with no server transaction: a 2xx ACK for the dialog layer. */
  | { kind: "ack" };

const MAGIC_COOKIE = "z9hG4bK";

/** The transaction key of a request (RFC 3261 §17.2.3); ACK maps onto its INVITE. */
export function transactionKey(request: SipRequest): { key: string; branch: string } {
  const via = parseVia(headerValue(request, "Via") ?? "");
  const branch = via.params.get("branch") ?? "";
  const method = request.method === "ACK" ? "INVITE" : request.method;
  if (branch.startsWith(MAGIC_COOKIE)) return { key: `${branch}|${via.host}:${via.port ?? 5060}|${method}`, branch };
  // RFC 2543 peers: fall back to Call-ID, CSeq number, From tag and Via.
  const cseq = parseCSeq(headerValue(request, "CSeq") ?? "");
  const from = headerValue(request, "From") ?? "";
  const tag = /;\s*tag=([^;\s]+)/i.exec(from)?.[1] ?? "";
  return {
    key: `${headerValue(request, "Call-ID")}|${cseq.sequence}|${tag}|${via.host}:${via.port ?? 5060}|${method}`,
    branch,
  };
}

/**
 * Server transactions: absorbs request retransmissions (re-sending the last response), retransmits non-2xx final
 * responses to INVITE until the ACK (Timers G/H/I), keeps completed non-INVITE transactions for Timer J, and holds
 * an accepted INVITE for Timer L so its retransmissions are absorbed while the dialog layer resends the 2xx.
 */
export class ServerTransactionLayer {
  private readonly transactions = new Map<string, ServerTransaction>();
  private readonly options: ServerTransactionLayerOptions;

  constructor(options: ServerTransactionLayerOptions) {
    this.options = options;
  }

  get size(): number {
    return this.transactions.size;
  }

  receive(request: SipRequest, source: SipAddress, responseDestination: SipAddress): ReceiveResult {
    const { key, branch } = transactionKey(request);
    const existing = this.transactions.get(key);
    if (request.method === "ACK") {
      if (existing && existing.request.method === "INVITE" && existing.lastStatus >= 300) {
        if (existing.state === "completed") this.confirm(existing);
        return { kind: "ack-consumed" };
      }
      return { kind: "ack" };
    }
    if (existing) {
      if (existing.lastResponse && existing.state !== "accepted") {
        this.options.send(existing.lastResponse, existing.responseDestination);
      }
      return { kind: "absorbed" };
    }
    const transaction: ServerTransaction = {
      key,
      branch,
      request,
      source,
      state: "proceeding",
      lastResponse: undefined,
      lastStatus: 0,
      responseDestination,
      timers: [],
    };
    this.transactions.set(key, transaction);
    return { kind: "new", transaction };
  }

  /** The pending INVITE transaction a CANCEL targets (same branch, RFC 3261 §9.2). */
  findInvite(cancel: SipRequest): ServerTransaction | undefined {
    const { key } = transactionKey(cancel);
    const inviteKey = key.replace(/\|CANCEL$/, "|INVITE");
    return this.transactions.get(inviteKey);
  }

  /** Sends a response within its transaction and runs the state machine. */
  respond(transaction: ServerTransaction, status: number, bytes: Uint8Array): void {
    if (transaction.state === "terminated") return;
    if (transaction.state !== "proceeding") return; // a final response was already sent
    transaction.lastResponse = bytes;
    transaction.lastStatus = status;
    this.options.send(bytes, transaction.responseDestination);
    if (status < 200) return;
    const { t1Ms, t2Ms } = this.options.timers;
    const clock = this.options.clock;
    if (transaction.request.method !== "INVITE") {
      transaction.state = "completed";
      this.schedule(transaction, 64 * t1Ms, () => this.terminate(transaction)); // Timer J
      return;
    }
    if (status < 300) {
      transaction.state = "accepted";
      this.schedule(transaction, 64 * t1Ms, () => this.terminate(transaction)); // Timer L
      return;
    }
    transaction.state = "completed";
    let interval = t1Ms;
    const retransmit = () => {
      if (transaction.state !== "completed") return;
      this.options.send(bytes, transaction.responseDestination);
      interval = Math.min(interval * 2, t2Ms);
      transaction.timers.push(clock.setTimeout(retransmit, interval));
    };
    transaction.timers.push(clock.setTimeout(retransmit, interval)); // Timer G
    this.schedule(transaction, 64 * t1Ms, () => {
      // Timer H
      if (transaction.state !== "completed") return;
      this.terminate(transaction);
      this.options.onAckTimeout?.(transaction);
    });
  }

  private confirm(transaction: ServerTransaction): void {
    this.clearTimers(transaction);
    transaction.state = "confirmed";
    this.schedule(transaction, this.options.timers.t4Ms, () => this.terminate(transaction)); // Timer I
  }

  private schedule(transaction: ServerTransaction, delayMs: number, callback: () => void): void {
    transaction.timers.push(this.options.clock.setTimeout(callback, delayMs));
  }

  private clearTimers(transaction: ServerTransaction): void {
    for (const timer of transaction.timers) this.options.clock.clearTimeout(timer);
    transaction.timers = [];
  }

  terminate(transaction: ServerTransaction): void {
    this.clearTimers(transaction);
    transaction.state = "terminated";
    if (this.transactions.get(transaction.key) === transaction) this.transactions.delete(transaction.key);
  }

  close(): void {
    for (const transaction of [...this.transactions.values()]) this.terminate(transaction);
  }
}

interface ClientTransaction {
  branch: string;
  method: string;
  resolve: (response: SipResponse | undefined) => void;
  timers: unknown[];
  done: boolean;
}

/**
 * Non-INVITE client transactions (RFC 3261 §17.1.2): retransmits the request with Timer E (T1 doubling to T2)
 * until a final response; Timer F (64·T1) gives up and resolves `undefined`. Provisional responses stop nothing
 * but are ignored here (over UDP the retransmissions simply continue at T2).
 */
export class ClientTransactionLayer {
  private readonly pending = new Map<string, ClientTransaction>();
  private readonly clock: Clock;
  private readonly timers: TransactionTimers;
  private readonly send: (bytes: Uint8Array, destination: SipAddress) => void;

  constructor(options: Omit<ServerTransactionLayerOptions, "onAckTimeout">) {
    this.clock = options.clock;
    this.timers = options.timers;
    this.send = options.send;
  }

  request(
    bytes: Uint8Array,
    branch: string,
    method: string,
    destination: SipAddress,
  ): Promise<SipResponse | undefined> {
    return new Promise((resolve) => {
      const transaction: ClientTransaction = { branch, method, resolve, timers: [], done: false };
      this.pending.set(`${branch}|${method}`, transaction);
      this.send(bytes, destination);
      let interval = this.timers.t1Ms;
      const retransmit = () => {
        if (transaction.done) return;
        this.send(bytes, destination);
        interval = Math.min(interval * 2, this.timers.t2Ms);
        transaction.timers.push(this.clock.setTimeout(retransmit, interval));
      };
      transaction.timers.push(this.clock.setTimeout(retransmit, interval)); // Timer E
      transaction.timers.push(this.clock.setTimeout(() => this.finish(transaction, undefined), 64 * this.timers.t1Ms)); // F
    });
  }

  /** Matches a response to its transaction (top Via branch + CSeq method); true when it was consumed. */
  receive(response: SipResponse): boolean {
    let branch: string;
    let method: string;
    try {
      branch = parseVia(headerValue(response, "Via") ?? "").params.get("branch") ?? "";
      method = parseCSeq(headerValue(response, "CSeq") ?? "").method;
    } catch {
      return false;
    }
    const transaction = this.pending.get(`${branch}|${method}`);
    if (!transaction) return false;
    if (response.status >= 200) this.finish(transaction, response);
    return true;
  }

  private finish(transaction: ClientTransaction, response: SipResponse | undefined): void {
    if (transaction.done) return;
    transaction.done = true;
    for (const timer of transaction.timers) this.clock.clearTimeout(timer);
    this.pending.delete(`${transaction.branch}|${transaction.method}`);
    transaction.resolve(response);
  }

  close(): void {
    for (const transaction of [...this.pending.values()]) this.finish(transaction, undefined);
  }
}
