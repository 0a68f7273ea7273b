// Shared pieces of the load runners: flags, machine facts (load average before/after), an event-loop lag sampler
// and the JSON output. Each runner prints ONE JSON object and, with --out, writes it to that file too.
import { mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { parseArgs } from "node:util";
import { machineInfo } from "../../packages/realtime-channel/bench/machine.ts";

export interface LoadFlags {
  sessions: number;
  durationS: number;
  out: string | undefined;
}

/** `--sessions N --duration S [--out file]`; bad values fail with the flag's name. */
export function loadFlags(
  defaults: { sessions: number; durationS: number },
  args: string[] = process.argv.slice(2),
): LoadFlags {
  const { values } = parseArgs({
    args,
    options: { sessions: { type: "string" }, duration: { type: "string" }, out: { type: "string" } },
  });
  const positive = (name: string, text: string | undefined, fallback: number) => {
    const value = text === undefined ? fallback : Number(text);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number, got ${text}`);
    return value;
  };
  return {
    sessions: Math.floor(positive("sessions", values.sessions, defaults.sessions)),
    durationS: positive("duration", values.duration, defaults.durationS),
    out: values.out,
  };
}

export const loadAverage = (): number[] => readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).map(Number);

/** Lateness of a 10 ms timer (CPU contention and GC), for the process it runs in; `stop` returns p50/p99/max. */
export function lagSampler(): { stop: () => { p50: number | null; p99: number | null; max: number | null } } {
  const lags: number[] = [];
  let expected = performance.now() + 10;
  const timer = setInterval(() => {
    const now = performance.now();
    lags.push(Math.max(0, now - expected));
    expected = now + 10;
  }, 10);
  return {
    stop: () => {
      clearInterval(timer);
      lags.sort((a, b) => a - b);
      const at = (q: number) =>
        lags.length === 0 ? null : Number(lags[Math.floor(q * (lags.length - 1))]!.toFixed(2));
      return { p50: at(0.5), p99: at(0.99), max: at(1) };
    },
  };
}

/** Runs `measure` between two load-average readings and prints/writes the result with the machine facts. */
export async function report(
  name: string,
  flags: LoadFlags,
  describe: Record<string, unknown>,
  measure: () => Promise<Record<string, unknown>>,
): Promise<Record<string, unknown>> {
  const startedAt = new Date().toISOString();
  const loadBefore = loadAverage();
  const result = await measure();
  const output = {
    benchmark: name,
    startedAt,
    sessionsRequested: flags.sessions,
    durationS: flags.durationS,
    ...describe,
    machine: {
      ...machineSummary(),
      loadAverageBefore: loadBefore,
      loadAverageAfter: loadAverage(),
    },
    result,
  };
  console.log(JSON.stringify(output, null, 2));
  if (flags.out) writeJson(flags.out, output);
  return output;
}

export function writeJson(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}

export const machineSummary = (): Record<string, unknown> => ({ ...machineInfo(), bun: Bun.version });

/** Least-squares slope of y over x (null under 2 distinct x). */
export function leastSquaresSlope(x: readonly number[], y: readonly number[]): number | null {
  const n = Math.min(x.length, y.length);
  if (n < 2) return null;
  let sumX = 0;
  let sumY = 0;
  for (let index = 0; index < n; index++) {
    sumX += x[index]!;
    sumY += y[index]!;
  }
  const meanX = sumX / n;
  const meanY = sumY / n;
  let covariance = 0;
  let variance = 0;
  for (let index = 0; index < n; index++) {
    covariance += (x[index]! - meanX) * (y[index]! - meanY);
    variance += (x[index]! - meanX) ** 2;
  }
  return variance === 0 ? null : covariance / variance;
}

/** Open file descriptors of this process by kind (socket, pipe, anon_inode, file): the OS view of its handles. */
export function openFileDescriptors(): Record<string, number> {
  const byKind: Record<string, number> = {};
  for (const fd of readdirSync("/proc/self/fd")) {
    let kind = "gone";
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      kind = target.startsWith("socket:")
        ? "socket"
        : target.startsWith("pipe:")
          ? "pipe"
          : target.startsWith("anon_inode:")
            ? "anon_inode"
            : "file";
    } catch {}
    byKind[kind] = (byKind[kind] ?? 0) + 1;
  }
  return byKind;
}
