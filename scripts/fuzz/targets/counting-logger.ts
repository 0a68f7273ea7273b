import type { Logger } from "../../../packages/spec/src/index.ts";

/** A logger that counts lines per level and keeps none (a fuzz run logs millions of drops). */
export interface CountingLogger extends Logger {
  readonly counts: { debug: number; info: number; warn: number; error: number };
}

export function createCountingLogger(): CountingLogger {
  const counts = { debug: 0, info: 0, warn: 0, error: 0 };
  return {
    counts,
    debug: () => {
      counts.debug++;
    },
    info: () => {
      counts.info++;
    },
    warn: () => {
      counts.warn++;
    },
    error: () => {
      counts.error++;
    },
  };
}
