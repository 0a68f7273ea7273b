import { createId } from "@roomkit/spec";

/** What the framework adapter (Bun.serve or `ws`) lets the connection do with the real socket. */
export interface SocketSink {
  sendText(text: string): void;
  sendBinary(bytes: Uint8Array): void;
  close(code: number, reason: string): void;
  /** Bytes queued in the socket and not yet written to the network. */
  bufferedAmount(): number;
}

/** Receives what arrives on the socket once the transport has accepted the connection. */
export interface ConnectionListener {
  message(data: string | Uint8Array): void;
  close(code: number, reason: string): void;
  drain(): void;
}

export interface WebSocketConnectionOptions {
  /** `bun` (Bun.serve) or `ws` (a `ws` WebSocketServer), for logs. */
  kind: "bun" | "ws";
  url: URL;
  headers: Headers;
  /** The framework's upgrade request: a Fetch `Request` (Bun) or a Node `IncomingMessage` (ws). */
  request: unknown;
  /** The framework's socket object. */
  socket?: unknown;
  /** Messages kept while nobody has accepted the connection yet (oldest dropped beyond). Default 100 (2 s of 20 ms frames). */
  maxPendingMessages?: number;
  /** Total bytes kept while not accepted. Default 512 KiB. */
  maxPendingBytes?: number;
}

/**
 * One caller socket, independent of the server framework. An adapter creates it at upgrade time and feeds it
 * messages; the application passes it to `channel.startSession(roomId, participantId, { connection })`.
 * Messages that arrive before the transport accepts it are kept (bounded) and replayed in order.
 */
export class WebSocketConnection {
  readonly id = createId();
  readonly kind: "bun" | "ws";
  readonly url: URL;
  readonly headers: Headers;
  readonly request: unknown;
  socket: unknown;
  /** Messages dropped because nobody accepted the connection in time. */
  pendingDropped = 0;
  closeCode: number | undefined;
  closeReason: string | undefined;

  #sink: SocketSink | undefined;
  #listener: ConnectionListener | undefined;
  #pending: Array<string | Uint8Array> = [];
  #pendingBytes = 0;
  #closed = false;
  readonly #maxPendingMessages: number;
  readonly #maxPendingBytes: number;

  constructor(options: WebSocketConnectionOptions) {
    this.kind = options.kind;
    this.url = options.url;
    this.headers = options.headers;
    this.request = options.request;
    this.socket = options.socket;
    this.#maxPendingMessages = options.maxPendingMessages ?? 100;
    this.#maxPendingBytes = options.maxPendingBytes ?? 512 * 1024;
  }

  /** The socket is open (bound and not closed). */
  get isOpen(): boolean {
    return this.#sink !== undefined && !this.#closed;
  }

  get isClosed(): boolean {
    return this.#closed;
  }

  get isAttached(): boolean {
    return this.#listener !== undefined;
  }

  // ---- adapter side -------------------------------------------------------------------------------------------

  /** The adapter binds the real socket once it is open. */
  bind(sink: SocketSink, socket?: unknown): void {
    this.#sink = sink;
    if (socket !== undefined) this.socket = socket;
  }

  /** The adapter hands over one received message (text or binary). */
  receive(data: string | Uint8Array): void {
    if (this.#closed) return;
    const listener = this.#listener;
    if (listener !== undefined) {
      listener.message(data);
      return;
    }
    const size = typeof data === "string" ? data.length : data.byteLength;
    this.#pending.push(data);
    this.#pendingBytes += size;
    while (
      this.#pending.length > 0 &&
      (this.#pending.length > this.#maxPendingMessages || this.#pendingBytes > this.#maxPendingBytes)
    ) {
      const dropped = this.#pending.shift()!;
      this.#pendingBytes -= typeof dropped === "string" ? dropped.length : dropped.byteLength;
      this.pendingDropped++;
    }
  }

  /** The adapter reports that the socket closed (by the peer, the network or us). Idempotent. */
  handleClose(code: number, reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    this.closeCode = code;
    this.closeReason = reason;
    this.#pending = [];
    this.#pendingBytes = 0;
    const listener = this.#listener;
    this.#listener = undefined;
    listener?.close(code, reason);
  }

  /** The adapter reports that the socket's send buffer drained. */
  handleDrain(): void {
    this.#listener?.drain();
  }

  // ---- transport side -----------------------------------------------------------------------------------------

  /** Starts delivering messages to `listener`, replaying those received before. */
  attach(listener: ConnectionListener): void {
    this.#listener = listener;
    const pending = this.#pending;
    this.#pending = [];
    this.#pendingBytes = 0;
    for (const message of pending) {
      if (this.#listener !== listener) return;
      listener.message(message);
    }
  }

  /** Stops delivering messages (the socket stays as it is). */
  detach(): void {
    this.#listener = undefined;
  }

  sendText(text: string): boolean {
    if (!this.isOpen) return false;
    this.#sink!.sendText(text);
    return true;
  }

  sendBinary(bytes: Uint8Array): boolean {
    if (!this.isOpen) return false;
    this.#sink!.sendBinary(bytes);
    return true;
  }

  bufferedAmount(): number {
    if (!this.isOpen) return 0;
    return this.#sink!.bufferedAmount();
  }

  /** Closes the socket with a code and reason. Idempotent; the adapter's close event follows. */
  close(code = 1000, reason = ""): void {
    const sink = this.#sink;
    if (sink === undefined || this.#closed) {
      this.handleClose(code, reason);
      return;
    }
    try {
      sink.close(code, reason);
    } finally {
      // The framework's close event may come later (or never for a dead peer): treat the socket as closed now.
      this.handleClose(code, reason);
    }
  }
}
