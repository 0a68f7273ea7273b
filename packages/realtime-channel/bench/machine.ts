import { execSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import { coreTicks } from "./stats.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Busy ticks per CPU over 0.5 s; picks the least busy core (ties: the higher-numbered one). */
export async function pickCore(): Promise<{ cpu: number; busy: Record<string, number> }> {
  const cpus = os.cpus().length;
  const before = Array.from({ length: cpus }, (_, cpu) => coreTicks(cpu)?.busy ?? 0);
  await sleep(500);
  const busy: Record<string, number> = {};
  let best = 0;
  let bestBusy = Number.POSITIVE_INFINITY;
  for (let cpu = 0; cpu < cpus; cpu++) {
    const value = (coreTicks(cpu)?.busy ?? 0) - before[cpu]!;
    busy[`cpu${cpu}`] = value;
    if (value <= bestBusy) {
      best = cpu;
      bestBusy = value;
    }
  }
  return { cpu: best, busy };
}

export function machineInfo(): Record<string, unknown> {
  const cpuinfo = readFileSync("/proc/cpuinfo", "utf8");
  const field = (name: string) => cpuinfo.match(new RegExp(`^${name}\\s*:\\s*(.*)$`, "m"))?.[1]?.trim();
  const meminfo = readFileSync("/proc/meminfo", "utf8");
  let nprocCmd: number | null = null;
  try {
    nprocCmd = Number(execSync("nproc").toString().trim());
  } catch {}
  return {
    nproc: os.cpus().length,
    nproc_cmd: nprocCmd,
    cpu_model: field("model name"),
    cpu_family: field("cpu family"),
    cpu_model_id: field("model"),
    cpu_stepping: field("stepping"),
    cpu_mhz: field("cpu MHz"),
    cpu_cache: field("cache size"),
    virtualized: /\bhypervisor\b/.test(field("flags") ?? ""),
    mem_total_kb: Number(meminfo.match(/MemTotal:\s*(\d+)/)?.[1]),
    kernel: os.release(),
  };
}

export function gitCommit(): string | null {
  try {
    return execSync("git rev-parse HEAD", { cwd: import.meta.dir })
      .toString()
      .trim();
  } catch {
    return null;
  }
}
