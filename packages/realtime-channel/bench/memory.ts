// Phase e: memory per room / idle session / streaming session (one fresh process per variant).
import { buildEnvironment, startSessions } from "./environment.ts";
import { makeRing } from "./fixtures.ts";
import { fullGc, round, rssBytes } from "./stats.ts";

const SESSIONS = 1000;
const STREAM_TICKS = 10;

async function streamTicks(
  environment: Awaited<ReturnType<typeof buildEnvironment>>,
  ticks: number,
  resample: boolean,
  onTick?: () => void,
) {
  const ringIn = makeRing(resample ? 8000 : 16000);
  const ringOut = makeRing(24000);
  const count = environment.sessions.length;
  const inStart = environment.inbound.count;
  const outStart = environment.outbound.count;
  for (let tick = 0; tick < ticks; tick++) {
    for (const session of environment.sessions) {
      await environment.transport.simulateClientAudio(session, ringIn[tick % 50]!);
      await environment.provider.simulateAudio(session, ringOut[tick % 50]!);
    }
    await environment.inbound.waitFor(inStart + (tick + 1) * count);
    await environment.outbound.waitFor(outStart + (tick + 1) * count);
    environment.clearRecordings();
    onTick?.();
  }
}

export async function memoryVariant(resample: boolean): Promise<Record<string, unknown>> {
  const warm = await buildEnvironment({ sessions: 2, resample });
  await streamTicks(warm, 3, resample);
  await warm.close();
  fullGc();
  const heap0 = process.memoryUsage().heapUsed;
  const rss0 = rssBytes();

  const environment = await buildEnvironment({ sessions: SESSIONS, resample, roomsOnly: true });
  fullGc();
  const rssRooms = rssBytes();
  const heapRooms = process.memoryUsage().heapUsed;

  await startSessions(environment);
  fullGc();
  const rssIdle = rssBytes();
  const heapIdle = process.memoryUsage().heapUsed;

  let peak = rssIdle;
  await streamTicks(environment, STREAM_TICKS, resample, () => {
    peak = Math.max(peak, rssBytes());
  });
  fullGc();
  const rssStreamed = rssBytes();
  const heapStreamed = process.memoryUsage().heapUsed;
  await environment.close();
  return {
    sessions: SESSIONS,
    resample,
    stream_ticks: STREAM_TICKS,
    rss_baseline_bytes: rss0,
    rss_after_rooms_bytes: rssRooms,
    rss_after_idle_sessions_bytes: rssIdle,
    rss_peak_streaming_bytes: peak,
    rss_after_streaming_bytes: rssStreamed,
    bytes_per_room: round((rssRooms - rss0) / SESSIONS),
    bytes_per_idle_session: round((rssIdle - rssRooms) / SESSIONS),
    bytes_per_idle_session_incl_room: round((rssIdle - rss0) / SESSIONS),
    bytes_per_streaming_session: round((rssStreamed - rssRooms) / SESSIONS),
    bytes_per_streaming_session_peak: round((peak - rssRooms) / SESSIONS),
    bytes_per_streaming_session_incl_room: round((rssStreamed - rss0) / SESSIONS),
    heap_used_baseline_bytes: heap0,
    heap_used_after_rooms_bytes: heapRooms,
    heap_used_after_idle_sessions_bytes: heapIdle,
    heap_used_after_streaming_bytes: heapStreamed,
    heap_bytes_per_room: round((heapRooms - heap0) / SESSIONS),
    heap_bytes_per_idle_session: round((heapIdle - heapRooms) / SESSIONS),
    heap_bytes_per_streaming_session: round((heapStreamed - heapRooms) / SESSIONS),
  };
}
