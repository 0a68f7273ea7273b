import { type ChildProcess, spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { TransportError } from "@roomkit/spec";

const READY_TIMEOUT_MS = 5000;

/** What to tell the user when a tool is missing or fails to reach its server. */
export interface ToolHints {
  /** The Debian package that ships the tool. */
  debianPackage: string;
  /** Maps the tool's stderr to a sentence naming the fix, or undefined to keep the raw text. */
  explain?(stderr: string): string | undefined;
}

/**
 * A spawned audio tool (pacat, parec, aplay, arecord) with raw PCM on stdin/stdout. `ready` resolves when its stderr
 * matches `readyPattern` (or at once without one) and rejects with a `TransportError` naming the fix if it exits or
 * cannot start first. After that, an exit that `close()` did not ask for goes to `onExit`. `close()` kills it and
 * waits for the exit, so no child outlives the stream.
 */
export class HelperProcess {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  private stderrText = "";
  private closing = false;
  private readonly exited: Promise<void>;
  private exitHandler: ((error: Error) => void) | undefined;

  readonly tool: string;
  private readonly hints: ToolHints;

  constructor(
    tool: string,
    args: readonly string[],
    hints: ToolHints,
    readyPattern: RegExp | undefined,
    onStderr?: (text: string) => void,
  ) {
    this.tool = tool;
    this.hints = hints;
    this.child = spawn(tool, args, {
      stdio: ["pipe", "pipe", "pipe"],
      env: { ...process.env, LC_ALL: "C", LANG: "C" },
    });
    let settle: { resolve: () => void; reject: (error: Error) => void } | undefined;
    this.ready = new Promise<void>((resolve, reject) => {
      settle = { resolve, reject };
    });
    this.ready.catch(() => undefined);
    const done = (error?: Error) => {
      const current = settle;
      settle = undefined;
      if (!current) return false;
      if (error) current.reject(error);
      else current.resolve();
      return true;
    };
    if (!readyPattern) done();
    else {
      // A tool that neither connects nor fails (a hung server) must not hang accept().
      const timer = setTimeout(() => {
        if (
          done(
            new TransportError({
              message: `${tool} did not open its stream within ${READY_TIMEOUT_MS} ms`,
              code: "audio_tool_timeout",
            }),
          )
        ) {
          void this.close();
        }
      }, READY_TIMEOUT_MS);
      this.ready.then(
        () => clearTimeout(timer),
        () => clearTimeout(timer),
      );
    }
    this.exited = new Promise<void>((resolve) => {
      this.child.once("close", () => resolve());
      this.child.once("error", () => resolve());
    });
    this.child.stdin?.on("error", () => undefined);
    this.child.stderr?.setEncoding("utf8");
    this.child.stderr?.on("data", (text: string) => {
      if (this.stderrText.length < 8192) this.stderrText += text;
      onStderr?.(text);
      if (readyPattern?.test(this.stderrText)) done();
    });
    this.child.once("error", (error: NodeJS.ErrnoException) => {
      const failure =
        error.code === "ENOENT"
          ? new TransportError({
              message:
                `${tool} is not installed: install the Debian package ${hints.debianPackage} ` +
                `(apt-get install ${hints.debianPackage})`,
              code: "audio_tool_missing",
              cause: error,
            })
          : new TransportError({ message: `${tool} could not start: ${error.message}`, cause: error });
      if (!done(failure)) this.exitHandler?.(failure);
    });
    this.child.once("close", (code, signal) => {
      const failure = this.describeExit(code, signal);
      if (!done(failure) && !this.closing) this.exitHandler?.(failure);
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Called once if the tool exits without `close()` after it was ready (the device went away mid-call). */
  onExit(handler: (error: Error) => void): void {
    this.exitHandler = handler;
  }

  /**
   * Kills the tool (SIGTERM, then SIGKILL after 500 ms) and waits for it to exit. Idempotent. `SIGKILL` at once drops
   * what the tool still buffers (the server sees the connection close and discards the stream's queue).
   */
  async close(signal: "SIGTERM" | "SIGKILL" = "SIGTERM"): Promise<void> {
    this.closing = true;
    this.child.stdin?.destroy();
    this.child.stdout?.destroy();
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill(signal);
      const timer = setTimeout(() => this.child.kill("SIGKILL"), 500);
      await this.exited;
      clearTimeout(timer);
    }
  }

  private describeExit(code: number | null, signal: NodeJS.Signals | null): TransportError {
    const stderr = this.stderrText.trim();
    const explained = stderr ? this.hints.explain?.(stderr) : undefined;
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    return new TransportError({
      message: `${this.tool} ${how}${explained ? `: ${explained}` : stderr ? `: ${lastLine(stderr)}` : ""}`,
      code: "audio_tool_exited",
    });
  }
}

function lastLine(text: string): string {
  const lines = text.split(/[\r\n]+/).filter((line) => line.trim() !== "" && !line.startsWith("Time:"));
  return lines.at(-1) ?? text;
}

/** Whether `tool` is an executable on PATH (no process spawned). */
export function hasTool(tool: string, path = process.env.PATH ?? ""): boolean {
  for (const dir of path.split(":")) {
    if (!dir) continue;
    try {
      accessSync(`${dir}/${tool}`, constants.X_OK);
      return true;
    } catch {}
  }
  return false;
}
