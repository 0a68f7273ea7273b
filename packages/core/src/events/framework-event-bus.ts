import type { FrameworkEvent, Logger } from "@roomkit/spec";

export type FrameworkEventHandler = (event: FrameworkEvent) => void | Promise<void>;

/** Listener for one type, or `"*"` for every framework event. */
export const ANY_FRAMEWORK_EVENT = "*";

/** Framework-level notifications (`kit.on(type, handler)`): handlers run in order; their errors are logged. */
export class FrameworkEventBus {
  private readonly handlers = new Map<string, FrameworkEventHandler[]>();
  private readonly logger: Logger;

  constructor(logger: Logger) {
    this.logger = logger;
  }

  /** Returns a function that removes the handler. */
  on(type: string, handler: FrameworkEventHandler): () => void {
    let list = this.handlers.get(type);
    if (!list) {
      list = [];
      this.handlers.set(type, list);
    }
    list.push(handler);
    return () => {
      const current = this.handlers.get(type);
      if (!current) return;
      const position = current.indexOf(handler);
      if (position >= 0) current.splice(position, 1);
      if (current.length === 0) this.handlers.delete(type);
    };
  }

  hasListeners(type: string): boolean {
    return this.handlers.has(type) || this.handlers.has(ANY_FRAMEWORK_EVENT);
  }

  emit(event: FrameworkEvent): void {
    const specific = this.handlers.get(event.type);
    const any = this.handlers.get(ANY_FRAMEWORK_EVENT);
    if (specific) this.dispatch(specific, event);
    if (any) this.dispatch(any, event);
  }

  clear(): void {
    this.handlers.clear();
  }

  private dispatch(handlers: readonly FrameworkEventHandler[], event: FrameworkEvent): void {
    for (const handler of [...handlers]) {
      try {
        const returned = handler(event);
        if (returned && typeof (returned as Promise<void>).then === "function") {
          (returned as Promise<void>).then(undefined, (error: unknown) => this.report(event, error));
        }
      } catch (error) {
        this.report(event, error);
      }
    }
  }

  private report(event: FrameworkEvent, error: unknown): void {
    this.logger.error("framework event handler failed", {
      type: event.type,
      error: error instanceof Error ? error.message : String(error),
    });
  }
}
