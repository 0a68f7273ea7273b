import type { LiveServerMessage } from "@google/genai";
import type { Clock, Logger, ProviderConnectOptions } from "@roomkit/spec";
import { boundedConnect } from "./bounded-connect.ts";
import {
  type GeminiApiVersion,
  LiveConnectFailure,
  type LiveConnector,
  type LiveSessionLike,
} from "./live-connector.ts";
import { cancellableSleep, closeAndWait } from "./reconnect.ts";
import { buildSessionConfig, chooseApiVersion } from "./wire/build-session-config.ts";

export interface LiveLinkOptions {
  model: string;
  /** Explicit API version; v1alpha is selected anyway when a v1alpha-only feature is configured. */
  apiVersion: GeminiApiVersion | undefined;
  connector: LiveConnector;
  clock: Clock;
  logger: Logger;
  /** Longest wait for `setupComplete` on one connect attempt. */
  connectTimeoutMs: number;
  /** Whether the next connection answers in text (`responseModalities: ["TEXT"]`), known before it opens. */
  onTextMode(textMode: boolean): void;
  /** A server message of the latest attempt (those of superseded attempts are ignored). */
  onMessage(message: LiveServerMessage): void;
  /** The open connection closed (closes of replaced or superseded connections are not reported). */
  onClose(code: number, reason: string): void;
  onInvalidMessage(reason: string): void;
}

/**
 * The socket side of a `GeminiConnection`: connect attempts (session config built, bounded by a timeout, a
 * superseded one closed), which attempt's messages and close count, a replaced connection's close handshake awaited,
 * and back-off waits — every pending wait cut short by `end()`, so no timer outlives the session.
 */
export class LiveLink {
  readonly #options: LiveLinkOptions;
  #attemptId = 0;
  #openId = 0;
  #ended = false;
  /** Settles when a connection's socket has closed (its close handshake is over). */
  readonly #closedSignals = new WeakMap<LiveSessionLike, Promise<void>>();
  #cancelPending: (() => void) | undefined;
  #cancelSleep: (() => void) | undefined;

  constructor(options: LiveLinkOptions) {
    this.#options = options;
  }

  /**
   * Opens a connection configured by `options` (resuming `handle` when given); it becomes the open one whose close
   * is reported. Rejects when the attempt fails, times out, or was superseded (`invalidate`, `end`) meanwhile.
   */
  async establish(options: ProviderConnectOptions, handle: string | undefined): Promise<LiveSessionLike> {
    const config = this.#options;
    const attempt = ++this.#attemptId;
    const built = buildSessionConfig({ options, resumptionHandle: handle, model: config.model });
    const apiVersion = chooseApiVersion(built, config.apiVersion);
    for (const warning of built.warnings) config.logger.warn(`Gemini: ${warning}`);
    config.onTextMode((built.config.responseModalities as string[] | undefined)?.[0] === "TEXT");
    let markClosed: () => void = () => {};
    const closed = new Promise<void>((resolve) => {
      markClosed = resolve;
    });
    const live = await boundedConnect(
      config.connector,
      {
        apiVersion,
        model: config.model,
        config: built.config,
        onMessage: (message: LiveServerMessage) => {
          if (attempt === this.#attemptId) config.onMessage(message);
        },
        onClose: (code, reason) => {
          markClosed();
          if (attempt !== this.#openId) return;
          this.#openId = 0;
          config.onClose(code, reason);
        },
        onInvalidMessage: (reason) => config.onInvalidMessage(reason),
      },
      {
        clock: config.clock,
        timeoutMs: config.connectTimeoutMs,
        registerCancel: (cancel) => {
          this.#cancelPending = cancel;
        },
      },
    );
    this.#closedSignals.set(live, closed);
    if (attempt !== this.#attemptId || this.#ended) {
      live.close();
      throw new LiveConnectFailure(undefined, "superseded");
    }
    this.#openId = attempt;
    return live;
  }

  /** The open connection is being replaced: its messages and its close no longer count. */
  invalidate(): void {
    this.#openId = 0;
    this.#attemptId++;
  }

  /** Closes a replaced connection and waits for its close handshake (at most `CLOSE_WAIT_MS`). */
  closeAndWait(live: LiveSessionLike): Promise<void> {
    return closeAndWait(live, {
      closed: this.#closedSignals.get(live),
      clock: this.#options.clock,
      logger: this.#options.logger,
      registerCancel: (cancel) => {
        this.#cancelSleep = cancel;
      },
    });
  }

  /** A back-off wait that `end()` cuts short. */
  sleep(delayMs: number): Promise<void> {
    return cancellableSleep(this.#options.clock, delayMs, (cancel) => {
      this.#cancelSleep = cancel;
    });
  }

  /** For good: no attempt or connection counts any more; a pending connect attempt and wait end now. */
  end(): void {
    this.#ended = true;
    this.#attemptId++;
    this.#openId = -1;
    this.#cancelPending?.();
    this.#cancelSleep?.();
  }
}
