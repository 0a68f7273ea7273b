// Load: N WebSocket callers (their own process) stream 20 ms PCM16 frames in real time through Bun.serve +
// WebSocketRealtimeTransport + RealtimeVoiceChannel + RoomKit (the server process) to a provider that echoes every
// frame back; the callers count what comes back. Reuses packages/transport-ws/bench (server.ts, load-client.ts).
// bun scripts/load/ws.ts --sessions 500 --duration 60 [--out file.json]
import { runOnce } from "../../packages/transport-ws/bench/run-once.ts";
import { loadFlags, report } from "./common.ts";

const flags = loadFlags({ sessions: 500, durationS: 60 });
await report(
  "load: WebSocket callers through RoomKit + RealtimeVoiceChannel (echo provider)",
  flags,
  {
    server: "Bun.serve, one process; load generator in another; neither pinned",
    provider: "MockRealtimeProvider from the testing package, echoing each caller frame as model audio",
    frame: "640 B (20 ms of 16 kHz PCM16), binary both ways, paced on an absolute 20 ms schedule",
  },
  async () => {
    const run = await runOnce("bun", flags.sessions, flags.durationS * 1000);
    const sent = run.clientFramesSent ?? 0;
    const received = run.clientFramesReceived ?? 0;
    return {
      sessionsHeld: run.sessionsLive,
      framesSent: sent,
      framesReceived: received,
      framesLost: sent - received,
      serverFramesIn: run.framesIn,
      serverFramesOut: run.framesOut,
      outboundDropped: run.outboundDropped,
      serverCpuMicrosPerFrame: run.cpuMicrosPerFrame,
      serverCpuPercentOfOneCore: run.serverCpuPercentOfOneCore,
      rssPerSessionKiB: run.rssPerSessionKiB,
      heapPerSessionKiB: run.heapPerSessionKiB,
      eventLoopLagMs: run.eventLoopLagMs,
      addedLatencyMicros: run.addedLatencyMicros,
      roundTripMs: run.roundTripMs,
      loadGeneratorCpuPercent: run.loadGeneratorCpuPercent,
      errors: run.sessionsLive < flags.sessions ? [`${flags.sessions - run.sessionsLive} sessions never started`] : [],
    };
  },
);
process.exit(0);
