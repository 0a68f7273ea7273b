// Load: N werift peers (their own process) stream real-time 20 ms Opus over WebRTC to FastRTCRealtimeTransport on
// Bun.serve (the server process), which accepts every peer into a session. Reuses packages/transport-webrtc/bench
// (server.ts, load-client.ts, session-run.ts).
// bun scripts/load/webrtc.ts --sessions 100 --duration 60 [--out file.json]
import { sessionRun } from "../../packages/transport-webrtc/bench/session-run.ts";
import { loadFlags, report } from "./common.ts";

const flags = loadFlags({ sessions: 100, durationS: 60 });
await report(
  "load: WebRTC (FastRTC signalling) peers streaming Opus into the transport",
  flags,
  {
    server: "Bun.serve + FastRTCRealtimeTransport, one process; werift peers in another; neither pinned",
    direction: "caller → server audio (Opus 48 kHz, decoded to 16 kHz PCM per frame); the server counts decoded frames",
  },
  async () => {
    const run = await sessionRun(flags.sessions, flags.durationS * 1000);
    // Frames per second inside the measured window (the totals also cover connection set-up and the drain).
    const framesPerSecond = flags.sessions * 50 * run.clientSentRatio;
    const cpuMicrosPerFrame = (run.serverCpuPercentTotal * 10_000) / Math.max(1, framesPerSecond);
    return {
      sessionsHeld: run.sessionsAccepted,
      connectAllMs: run.connectAllMs,
      framesSent: run.framesSent,
      framesReceived: run.framesReceived,
      framesLost: run.framesSent - run.framesReceived,
      clientSentRatio: run.clientSentRatio,
      packetsMissingFromSequence: run.packetsMissingFromSequence,
      packetsLateOrDuplicate: run.packetsLateOrDuplicate,
      serverCpuMicrosPerFrame: Number(cpuMicrosPerFrame.toFixed(2)),
      serverCpuPercentOfOneCore: run.serverCpuPercentTotal,
      rssPerSessionKiB: run.rssPerSessionKiB,
      eventLoopLagMs: { p50: run.eventLoopLagP50Ms, p99: run.eventLoopLagP99Ms },
      addedLatencyMs: { p50: run.addedLatencyP50Ms, p99: run.addedLatencyP99Ms, max: run.addedLatencyMaxMs },
      errors:
        run.sessionsAccepted < flags.sessions ? [`${flags.sessions - run.sessionsAccepted} peers not accepted`] : [],
    };
  },
);
process.exit(0);
