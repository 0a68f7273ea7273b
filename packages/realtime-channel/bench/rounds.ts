// Phases a, b, c (per-frame cost) and g (stored finals), WORKLOAD.md §2.
import { buildEnvironment, type Environment } from "./environment.ts";
import { makeRing } from "./fixtures.ts";
import { delta, distribution, fullGc, GC_UNSUPPORTED, nowNs, round, snapshot } from "./stats.ts";

const RING_16K = makeRing(16000);
const RING_24K = makeRing(24000);
const RING_8K = makeRing(8000);
const WARMUP_ROUNDS = 10;

type Direction = "inbound" | "outbound";

export async function frameCostPhase(
  direction: Direction,
  resample: boolean,
  roundsTotal: number,
  reps: number,
): Promise<Array<Record<string, unknown>>> {
  const results: Array<Record<string, unknown>> = [];
  for (const sessions of [1, 10, 100]) {
    const runs: Array<Record<string, unknown>> = [];
    for (let rep = 0; rep < reps; rep++)
      runs.push(await frameCostRun(direction, resample, sessions, Math.floor(roundsTotal / sessions)));
    const best = runs.reduce((min, run) =>
      (run.cpu_us_per_frame as number) < (min.cpu_us_per_frame as number) ? run : min,
    );
    results.push({ ...best, reps, reps_cpu_us_per_frame: runs.map((run) => run.cpu_us_per_frame) });
    process.stderr.write(
      `  ${direction}${resample ? " (resample)" : ""} N=${sessions}: ${best.cpu_us_per_frame} µs/frame\n`,
    );
  }
  return results;
}

async function frameCostRun(
  direction: Direction,
  resample: boolean,
  sessions: number,
  rounds: number,
): Promise<Record<string, unknown>> {
  const environment = await buildEnvironment({ sessions, resample });
  const ring = direction === "inbound" ? (resample ? RING_8K : RING_16K) : RING_24K;
  const probe = direction === "inbound" ? environment.inbound : environment.outbound;
  let complete = true;
  let k = 0;
  const runRound = async () => {
    const frame = ring[k % 50]!;
    const list = environment.sessions;
    if (direction === "inbound")
      for (const session of list) await environment.transport.simulateClientAudio(session, frame);
    else for (const session of list) await environment.provider.simulateAudio(session, frame);
    if (!(await probe.waitFor((k + 1) * sessions))) complete = false;
    environment.clearRecordings();
    k++;
  };
  for (let index = 0; index < WARMUP_ROUNDS; index++) await runRound();
  fullGc();
  const bytesBefore = probe.bytes;
  const before = snapshot();
  for (let index = 0; index < rounds && complete; index++) await runRound();
  const after = snapshot();
  const measured = delta(before, after);
  const frames = rounds * sessions;
  const result = {
    sessions,
    rounds,
    complete,
    frames,
    frame_bytes: ring[0]!.byteLength,
    ...measured,
    frames_per_wall_s: round(frames / measured.wall_s),
    frames_per_cpu_s: round(frames / measured.cpu_s),
    wall_us_per_frame: round((measured.wall_s * 1e6) / frames),
    cpu_us_per_frame: round((measured.cpu_s * 1e6) / frames),
    delivered_bytes_per_frame: round((probe.bytes - bytesBefore) / frames),
    gc: GC_UNSUPPORTED,
    roomkit_warnings: { ...environment.warnings },
  };
  await environment.close();
  fullGc();
  return result;
}

export async function transcriptionPhase(reps: number): Promise<Array<Record<string, unknown>>> {
  const results: Array<Record<string, unknown>> = [];
  for (const sessions of [1, 10, 100]) {
    const runs: Array<Record<string, unknown>> = [];
    for (let rep = 0; rep < reps; rep++) runs.push(await transcriptionRun(sessions, Math.floor(1000 / sessions)));
    const best = runs.reduce((min, run) =>
      (run.cpu_us_per_final as number) < (min.cpu_us_per_final as number) ? run : min,
    );
    results.push({ ...best, reps, reps_cpu_us_per_final: runs.map((run) => run.cpu_us_per_final) });
    process.stderr.write(`  transcriptions N=${sessions}: ${best.finals_per_cpu_s} finals/CPU-s\n`);
  }
  return results;
}

async function transcriptionRun(sessions: number, rounds: number): Promise<Record<string, unknown>> {
  const environment: Environment = await buildEnvironment({ sessions, resample: false });
  const countBefore = await eventCounts(environment);
  const stamps = new Map<string, number[]>();
  const latencies: number[] = [];
  let measuring = false;
  environment.onCommit = (roomId, now) => {
    const started = stamps.get(roomId)?.shift();
    if (measuring && started !== undefined) latencies.push(now - started);
  };
  let complete = true;
  let k = 0;
  const runRound = async () => {
    for (let index = 0; index < sessions; index++) {
      const session = environment.sessions[index]!;
      let queue = stamps.get(session.roomId);
      if (!queue) stamps.set(session.roomId, (queue = []));
      queue.push(nowNs());
      await environment.provider.simulateTranscription(session, `user utterance ${k} from participant ${index}`, {
        role: "user",
        isFinal: true,
      });
    }
    if (!(await environment.commits.waitFor((k + 1) * sessions))) complete = false;
    environment.clearRecordings();
    k++;
  };
  for (let index = 0; index < 5; index++) await runRound();
  fullGc();
  measuring = true;
  const before = snapshot();
  for (let index = 0; index < rounds && complete; index++) await runRound();
  const after = snapshot();
  const measured = delta(before, after);
  const finals = rounds * sessions;
  const countAfter = await eventCounts(environment);
  const persisted = countAfter - countBefore;
  const timeline = await environment.kit.getTimeline(environment.roomIds[0]!, { limit: 1, newestFirst: true } as never);
  const last = timeline.at(-1);
  const result = {
    sessions,
    finals,
    complete,
    persisted_in_timeline: persisted,
    persisted_expected: (5 + rounds) * sessions,
    wall_s: measured.wall_s,
    cpu_s: measured.cpu_s,
    cpu_loop_thread_s: measured.cpu_loop_thread_s,
    finals_per_wall_s: round(finals / measured.wall_s),
    finals_per_cpu_s: round(finals / measured.cpu_s),
    cpu_us_per_final: round((measured.cpu_s * 1e6) / finals),
    noise_foreign_util_on_core: measured.noise_foreign_util_on_core,
    latency: distribution(latencies),
    gc: GC_UNSUPPORTED,
    sample_event: last && {
      type: last.type,
      content_type: last.content.type === "text" ? "TextContent" : last.content.type,
      participant_id: last.source.participantId,
      metadata: { role: last.metadata.role, source: last.metadata.source },
    },
  };
  await environment.close();
  fullGc();
  return result;
}

async function eventCounts(environment: Environment): Promise<number> {
  let total = 0;
  for (const roomId of environment.roomIds) total += (await environment.kit.getRoom(roomId)).eventCount;
  return total;
}
