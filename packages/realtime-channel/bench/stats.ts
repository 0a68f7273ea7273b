import { readFileSync } from "node:fs";

export interface LatencyDistribution {
  n: number;
  p50_ms: number;
  p90_ms: number;
  p99_ms: number;
  p999_ms: number;
  max_ms: number;
  mean_ms: number;
}

const round4 = (value: number) => Math.round(value * 10_000) / 10_000;

/** Nearest-rank percentiles over nanosecond samples, reported in milliseconds (4 decimals). */
export function distribution(samplesNs: ArrayLike<number>): LatencyDistribution {
  const values = Float64Array.from(samplesNs).sort();
  const n = values.length;
  if (n === 0) return { n: 0, p50_ms: 0, p90_ms: 0, p99_ms: 0, p999_ms: 0, max_ms: 0, mean_ms: 0 };
  const at = (q: number) => values[Math.max(0, Math.ceil(q * n) - 1)]! / 1e6;
  let sum = 0;
  for (let index = 0; index < n; index++) sum += values[index]!;
  return {
    n,
    p50_ms: round4(at(0.5)),
    p90_ms: round4(at(0.9)),
    p99_ms: round4(at(0.99)),
    p999_ms: round4(at(0.999)),
    max_ms: round4(values[n - 1]! / 1e6),
    mean_ms: round4(sum / n / 1e6),
  };
}

export const nowNs = (): number => Number(process.hrtime.bigint());

export interface CpuSnapshot {
  wall: number;
  user: number;
  system: number;
  loop: number;
  voluntary: number;
  involuntary: number;
  core: CoreTicks | undefined;
}

export interface CoreTicks {
  busy: number;
  steal: number;
}

/** Busy and steal ticks of one CPU from /proc/stat (USER_HZ = 100). */
export function coreTicks(cpu: number | undefined): CoreTicks | undefined {
  if (cpu === undefined) return undefined;
  const line = readFileSync("/proc/stat", "utf8")
    .split("\n")
    .find((entry) => entry.startsWith(`cpu${cpu} `));
  if (!line) return undefined;
  const fields = line.trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = fields as number[];
  return { busy: user! + nice! + system! + irq! + softirq! + steal!, steal: steal! };
}

export function pinnedCpus(): string {
  const status = readFileSync("/proc/self/status", "utf8");
  return status.match(/Cpus_allowed_list:\s*(\S+)/)?.[1] ?? "unknown";
}

/** The single pinned CPU, when the process is pinned to exactly one. */
export function pinnedCpu(): number | undefined {
  const list = pinnedCpus();
  return /^\d+$/.test(list) ? Number(list) : undefined;
}

export function snapshot(): CpuSnapshot {
  const cpu = process.cpuUsage();
  const thread = (process as unknown as { threadCpuUsage?: () => { user: number; system: number } }).threadCpuUsage?.();
  const usage = process.resourceUsage();
  return {
    wall: performance.now() / 1000,
    user: cpu.user / 1e6,
    system: cpu.system / 1e6,
    loop: thread ? (thread.user + thread.system) / 1e6 : Number.NaN,
    voluntary: usage.voluntaryContextSwitches,
    involuntary: usage.involuntaryContextSwitches,
    core: coreTicks(pinnedCpu()),
  };
}

export interface CpuDelta {
  wall_s: number;
  cpu_s: number;
  cpu_loop_thread_s: number;
  cpu_user_s: number;
  cpu_sys_s: number;
  ctx_switches_vol: number;
  ctx_switches_invol: number;
  noise_foreign_util_on_core: number | null;
  noise_steal_util_on_core: number | null;
}

const round6 = (value: number) => Math.round(value * 1e6) / 1e6;

export function delta(before: CpuSnapshot, after: CpuSnapshot): CpuDelta {
  const wall = after.wall - before.wall;
  const user = after.user - before.user;
  const system = after.system - before.system;
  const cpu = user + system;
  let foreign: number | null = null;
  let steal: number | null = null;
  if (before.core && after.core && wall > 0) {
    foreign = round6(Math.max(0, ((after.core.busy - before.core.busy) / 100 - cpu) / wall));
    steal = round6((after.core.steal - before.core.steal) / 100 / wall);
  }
  return {
    wall_s: round6(wall),
    cpu_s: round6(cpu),
    cpu_loop_thread_s: round6(after.loop - before.loop),
    cpu_user_s: round6(user),
    cpu_sys_s: round6(system),
    ctx_switches_vol: after.voluntary - before.voluntary,
    ctx_switches_invol: after.involuntary - before.involuntary,
    noise_foreign_util_on_core: foreign,
    noise_steal_util_on_core: steal,
  };
}

export function rssBytes(): number {
  const pages = Number(readFileSync("/proc/self/statm", "utf8").split(" ")[1]);
  return pages * 4096;
}

/** Bun has no 'gc' PerformanceObserver entry type: GC pauses are not observable per collection. */
export const GC_UNSUPPORTED = { supported: false, note: "Bun 1.4 PerformanceObserver has no 'gc' entries" };

export function fullGc(): void {
  Bun.gc(true);
}

export const round = round6;
