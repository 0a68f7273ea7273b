import { hasMethods } from "./has-methods.ts";

export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";

/** Minimal structured logger. Every package accepts one through its options; the default writes to the console. */
export interface Logger {
  debug(message: string, details?: Record<string, unknown>): void;
  info(message: string, details?: Record<string, unknown>): void;
  warn(message: string, details?: Record<string, unknown>): void;
  error(message: string, details?: Record<string, unknown>): void;
}

/** The methods of `Logger`: an object with all four is a Logger (`isLogger`). */
export const LOGGER_METHODS: readonly (keyof Logger)[] = ["debug", "info", "warn", "error"];

/**
 * "Is this a Logger?", the one check every package's `logger` option applies (`console` qualifies): every method of
 * `Logger`, whichever ones the package happens to call today. In a zod schema:
 * `z.custom<Logger>(isLogger, { message: "expected a Logger" })`, with `LOGGER_ACCEPTED` as the field's hint.
 */
export function isLogger(value: unknown): value is Logger {
  return hasMethods(value, LOGGER_METHODS);
}

/** The `accepted` hint of a `logger` option in `RoomKitConfigError`. */
export const LOGGER_ACCEPTED = "a Logger ({ debug, info, warn, error }): console, createConsoleLogger(), silentLogger";

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

function levelFromEnvironment(): LogLevel {
  const value = typeof process !== "undefined" ? process.env.ROOMKIT_LOG_LEVEL : undefined;
  if (value && value in ORDER) return value as LogLevel;
  return "warn";
}

/** A console logger that prints messages at or above `level` (default: `ROOMKIT_LOG_LEVEL` or `warn`). */
export function createConsoleLogger(options: { name?: string; level?: LogLevel } = {}): Logger {
  const threshold = ORDER[options.level ?? levelFromEnvironment()];
  const prefix = options.name ? `[${options.name}] ` : "";
  const write = (level: Exclude<LogLevel, "silent">) => (message: string, details?: Record<string, unknown>) => {
    if (ORDER[level] < threshold) return;
    const line = prefix + message;
    if (details === undefined) console[level](line);
    else console[level](line, details);
  };
  return { debug: write("debug"), info: write("info"), warn: write("warn"), error: write("error") };
}

/** A logger that drops everything. */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** A logger that keeps every entry in memory; tests use it to assert that a drop was logged. */
export interface RecordingLogger extends Logger {
  readonly entries: Array<{ level: Exclude<LogLevel, "silent">; message: string; details?: Record<string, unknown> }>;
}

export function createRecordingLogger(): RecordingLogger {
  const entries: RecordingLogger["entries"] = [];
  const record = (level: Exclude<LogLevel, "silent">) => (message: string, details?: Record<string, unknown>) => {
    entries.push({ level, message, details });
  };
  return { entries, debug: record("debug"), info: record("info"), warn: record("warn"), error: record("error") };
}
