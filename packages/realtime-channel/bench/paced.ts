// Phases d (capacity ladder) and f (latency): the paced driver of WORKLOAD.md §2.d.
import type { VoiceSession } from "@roomkit/spec";
import { buildEnvironment } from "./environment.ts";
import { closeGcWindow, openGcWindow } from "./gc-log.ts";
import { makeRing } from "./fixtures.ts";
import {
  delta,
  distribution,
  fullGc,
  GC_UNSUPPORTED,
  type LatencyDistribution,
  nowNs,
  round,
  rssBytes,
  snapshot,
} from "./stats.ts";

const RING_16K = makeRing(16000);
const RING_24K = makeRing(24000);
const RING_8K = makeRing(8000);
const SLOTS = 10;
const SLOT_NS = 2_000_000;

interface Samples {
  lag: number[];
  latency: number[];
  tick: number[];
}

export interface PacedOptions {
  sessions: number;
  resample: boolean;
  warmupTicks: number;
  measureTicks: number;
}

const yieldOnce = () => new Promise<void>((resolve) => setImmediate(resolve));
const sleepMs = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function pacedRun(options: PacedOptions): Promise<Record<string, unknown>> {
  const { sessions: count, resample, warmupTicks, measureTicks } = options;
  const setupStarted = performance.now();
  const environment = await buildEnvironment({ sessions: count, resample });
  const setupS = (performance.now() - setupStarted) / 1000;
  fullGc();
  const rssBefore = rssBytes();
  const ringIn = resample ? RING_8K : RING_16K;
  const index = new Map<string, number>();
  for (const [position, session] of environment.sessions.entries()) index.set(session.id, position);
  // per-session FIFOs of (tick, target, simulate) for each direction
  const inFifo = environment.sessions.map(() => [] as number[]);
  const outFifo = environment.sessions.map(() => [] as number[]);
  const inbound: Samples = { lag: [], latency: [], tick: [] };
  const outbound: Samples = { lag: [], latency: [], tick: [] };
  const record = (fifos: number[][], samples: Samples) => (session: VoiceSession, now: number) => {
    const fifo = fifos[index.get(session.id)!]!;
    const tick = fifo.shift()!;
    const target = fifo.shift()!;
    const simulated = fifo.shift()!;
    if (tick >= warmupTicks) {
      samples.lag.push(now - target);
      samples.latency.push(now - simulated);
      samples.tick.push(tick);
    }
  };
  environment.onInbound = record(inFifo, inbound);
  environment.onOutbound = record(outFifo, outbound);
  const slots: VoiceSession[][] = Array.from({ length: SLOTS }, () => []);
  for (const [position, session] of environment.sessions.entries()) slots[position % SLOTS]!.push(session);

  const totalTicks = warmupTicks + measureTicks;
  const totalSlots = totalTicks * SLOTS;
  const driverLate: number[] = [];
  let rssPeak = rssBefore;
  let before: ReturnType<typeof snapshot> | undefined;
  const logGc = process.env.BUN_JSC_logGC === "1";
  let gcWindow: number | undefined;
  const t0 = nowNs() + 5_000_000;
  for (let k = 0; k < totalSlots; k++) {
    const target = t0 + k * SLOT_NS;
    let now = nowNs();
    if (target > now) {
      // Timers have millisecond granularity (Bun.sleep with a fraction spins): sleep the rounded-up remainder,
      // re-check, and sleep again if woken early — like the Python driver's asyncio.sleep on epoll.
      while (now < target) {
        await sleepMs(Math.max(1, Math.ceil((target - now) / 1e6)));
        now = nowNs();
      }
    } else await yieldOnce();
    const tick = Math.floor(k / SLOTS);
    if (k === warmupTicks * SLOTS) {
      if (logGc) gcWindow = openGcWindow();
      before = snapshot();
    }
    if (tick >= warmupTicks) driverLate.push(now - target);
    const frameIn = ringIn[tick % 50]!;
    const frameOut = RING_24K[tick % 50]!;
    for (const session of slots[k % SLOTS]!) {
      const position = index.get(session.id)!;
      inFifo[position]!.push(tick, target, nowNs());
      await environment.transport.simulateClientAudio(session, frameIn);
      outFifo[position]!.push(tick, target, nowNs());
      await environment.provider.simulateAudio(session, frameOut);
    }
    environment.clearRecordings();
    if (k % 250 === 0) rssPeak = Math.max(rssPeak, rssBytes());
  }
  const after = snapshot();
  if (gcWindow !== undefined) closeGcWindow(gcWindow);
  const measured = delta(before!, after);
  const expected = totalTicks * count;
  const drainStarted = performance.now();
  const [inDone, outDone] = await Promise.all([
    environment.inbound.waitFor(expected, 5000),
    environment.outbound.waitFor(expected, 5000),
  ]);
  const drainS = (performance.now() - drainStarted) / 1000;
  rssPeak = Math.max(rssPeak, rssBytes());
  const complete = inDone && outDone;
  const inLag = distribution(inbound.lag);
  const outLag = distribution(outbound.lag);
  const q = Math.floor(measureTicks / 4);
  const inDrift = drift(inbound, totalTicks - q, warmupTicks + q);
  const outDrift = drift(outbound, totalTicks - q, warmupTicks + q);
  const cpuUtil = measured.cpu_s / measured.wall_s;
  const passed = complete && inLag.p99_ms <= 20 && outLag.p99_ms <= 20 && inDrift <= 5 && outDrift <= 5;
  const result = {
    sessions: count,
    resample,
    duration_s: (measureTicks * 20) / 1000,
    warmup_s: (warmupTicks * 20) / 1000,
    setup_s: round(setupS),
    frames_expected_per_direction: expected,
    delivered_in: environment.inbound.count,
    delivered_out: environment.outbound.count,
    complete,
    drain_s: round(drainS),
    in_lag: inLag,
    out_lag: outLag,
    in_latency: distribution(inbound.latency),
    out_latency: distribution(outbound.latency),
    in_lag_drift_ms: round(inDrift),
    out_lag_drift_ms: round(outDrift),
    driver_late: distribution(driverLate),
    // Filled in by the parent from the GC log (capacity worker only); the window id links the two.
    gc: gcWindow === undefined ? GC_UNSUPPORTED : undefined,
    gc_window: gcWindow,
    roomkit_warnings: { ...environment.warnings },
    rss_before_bytes: rssBefore,
    rss_peak_bytes: rssPeak,
    cpu_util: round(cpuUtil),
    cpu_util_loop_thread: round(measured.cpu_loop_thread_s / measured.wall_s),
    cpu_us_per_frame: round((measured.cpu_s * 1e6) / (2 * measureTicks * count)),
    measure_wall_s: measured.wall_s,
    noise_foreign_util_on_core: measured.noise_foreign_util_on_core,
    noise_steal_util_on_core: measured.noise_steal_util_on_core,
    passed,
    est_sessions_at_100pct_cpu: round(count / cpuUtil),
  };
  environment.onInbound = undefined;
  environment.onOutbound = undefined;
  await environment.close();
  fullGc();
  return result;
}

function drift(samples: Samples, lateFrom: number, earlyBefore: number): number {
  let lateSum = 0;
  let lateCount = 0;
  let earlySum = 0;
  let earlyCount = 0;
  for (let index = 0; index < samples.lag.length; index++) {
    const tick = samples.tick[index]!;
    if (tick >= lateFrom) {
      lateSum += samples.lag[index]!;
      lateCount++;
    }
    if (tick < earlyBefore) {
      earlySum += samples.lag[index]!;
      earlyCount++;
    }
  }
  if (lateCount === 0 || earlyCount === 0) return 0;
  return (lateSum / lateCount - earlySum / earlyCount) / 1e6;
}

const LADDER = [10, 50, 100, 150, 200, 300, 400, 500, 750, 1000, 1500, 2000];
/** Past the fixed ladder, each step is 1.5x the last (rounded up to 500) until a step fails, within these bounds. */
const LADDER_GROWTH = 1.5;
const MAX_LADDER_STEPS = 24;
const MAX_SESSIONS = 40_000;
const PHASE_BUDGET_S = Number(process.env.ROOMKIT_BENCH_CAPACITY_BUDGET_S ?? 600);

export async function capacityPhase(resample: boolean): Promise<Record<string, unknown>> {
  const phaseStarted = performance.now();
  const runs: Array<Record<string, unknown>> = [];
  const attemptN = async (sessions: number, bisect: boolean): Promise<Record<string, unknown> | undefined> => {
    for (let attempt = 1; attempt <= 3; attempt++) {
      const run = await pacedRun({ sessions, resample, warmupTicks: 25, measureTicks: 150 });
      runs.push({ ...run, attempt, bisect });
      process.stderr.write(
        `  capacity${resample ? " (resample)" : ""} N=${sessions} attempt ${attempt}: passed=${run.passed} cpu=${run.cpu_util} in_p99=${(run.in_lag as LatencyDistribution).p99_ms} out_p99=${(run.out_lag as LatencyDistribution).p99_ms}\n`,
      );
      if (run.passed) return run;
    }
    return undefined;
  };
  const overBudget = () => (performance.now() - phaseStarted) / 1000 > PHASE_BUDGET_S;
  let lo = 0;
  let hi: number | undefined;
  let atMax: Record<string, unknown> | undefined;
  let stoppedBy = "a step failed";
  let sessions = LADDER[0]!;
  for (let step = 0; ; step++) {
    if (step >= MAX_LADDER_STEPS || sessions > MAX_SESSIONS || overBudget()) {
      stoppedBy = step >= MAX_LADDER_STEPS ? "max_steps" : sessions > MAX_SESSIONS ? "max_sessions" : "time_budget";
      break;
    }
    const passed = await attemptN(sessions, false);
    if (!passed) {
      hi = sessions;
      break;
    }
    lo = sessions;
    atMax = passed;
    sessions = LADDER[step + 1] ?? Math.ceil((sessions * LADDER_GROWTH) / 500) * 500;
  }
  for (let step = 0; step < 2 && hi !== undefined && !overBudget(); step++) {
    const grain = hi - lo > 200 ? 100 : hi - lo > 20 ? 10 : 1;
    const mid = Math.floor(Math.floor((lo + hi) / 2) / grain) * grain;
    if (mid <= lo || mid >= hi) break;
    const passed = await attemptN(mid, true);
    if (passed) {
      lo = mid;
      atMax = passed;
    } else hi = mid;
  }
  const estimates = runs
    .filter((run) => (run.sessions as number) >= 50)
    .map((run) => run.est_sessions_at_100pct_cpu as number)
    .sort((a, b) => a - b);
  const median = estimates.length === 0 ? null : estimates[Math.floor((estimates.length - 1) / 2)]!;
  return {
    resample,
    pass_rule:
      "complete && in_lag.p99_ms <= 20 && out_lag.p99_ms <= 20 && in_lag_drift_ms <= 5 && out_lag_drift_ms <= 5",
    ladder:
      `${LADDER.join(", ")}, then x${LADDER_GROWTH} rounded up to 500 until a step fails (3 attempts each); ` +
      `bounds: ${MAX_LADDER_STEPS} ladder steps, ${MAX_SESSIONS} sessions, ${PHASE_BUDGET_S} s per phase; ` +
      "then 2 bisection steps",
    stopped_by: stoppedBy,
    phase_wall_s: round((performance.now() - phaseStarted) / 1000),
    max_sessions_realtime: lo,
    min_failing_sessions: hi ?? null,
    at_max: atMax && {
      cpu_util: atMax.cpu_util,
      cpu_us_per_frame: atMax.cpu_us_per_frame,
      in_lag: atMax.in_lag,
      out_lag: atMax.out_lag,
      in_latency: atMax.in_latency,
      out_latency: atMax.out_latency,
      noise_foreign_util_on_core: atMax.noise_foreign_util_on_core,
      in_lag_drift_ms: atMax.in_lag_drift_ms,
      out_lag_drift_ms: atMax.out_lag_drift_ms,
      rss_peak_bytes: atMax.rss_peak_bytes,
      gc_window: atMax.gc_window,
    },
    est_sessions_at_100pct_cpu_median: median,
    runs,
  };
}

export async function latencyPhase(): Promise<Record<string, unknown>> {
  const result: Record<string, unknown[]> = { no_resample: [], resample: [] };
  for (const resample of [false, true]) {
    for (const sessions of [1, 10]) {
      const run = await pacedRun({ sessions, resample, warmupTicks: 25, measureTicks: 200 });
      result[resample ? "resample" : "no_resample"]!.push({
        sessions,
        frames_per_direction: 200 * sessions,
        in_latency: run.in_latency,
        out_latency: run.out_latency,
        in_lag: run.in_lag,
        out_lag: run.out_lag,
        cpu_util: run.cpu_util,
        complete: run.complete,
        noise_foreign_util_on_core: run.noise_foreign_util_on_core,
      });
      process.stderr.write(
        `  latency${resample ? " (resample)" : ""} N=${sessions}: in p99 ${(run.in_latency as LatencyDistribution).p99_ms} ms, out p99 ${(run.out_latency as LatencyDistribution).p99_ms} ms\n`,
      );
    }
  }
  return result;
}
