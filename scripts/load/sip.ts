// Load: sipp (its own process) places N concurrent calls to SipVoiceBackend on 127.0.0.1 (this process), each
// playing PCMU for the whole duration; every received frame is echoed back through the call's 20 ms pacer.
// Reuses packages/transport-sip/bench (load-level.ts). Needs sipp (packages/transport-sip/scripts/setup-test-env.sh).
// bun scripts/load/sip.ts --sessions 200 --duration 60 [--out file.json]
import { level, writeLoadPcap } from "../../packages/transport-sip/bench/load-level.ts";
import { lagSampler, loadFlags, report } from "./common.ts";

const flags = loadFlags({ sessions: 200, durationS: 60 });
await report(
  "load: SIP calls (sipp) into SipVoiceBackend, PCMU both ways",
  flags,
  {
    server: "SipVoiceBackend in this process; sipp (all calls started within 1 s) in another",
    frame: "PCMU 20 ms (160 B) per RTP packet, caller audio played for the whole duration, echoed back paced",
  },
  async () => {
    const durationMs = flags.durationS * 1000;
    const { pcap, remove } = writeLoadPcap(durationMs);
    const lag = lagSampler();
    try {
      const run = await level(flags.sessions, 0, pcap, durationMs);
      const eventLoopLagMs = lag.stop();
      const frames = run.rtpReceived + run.rtpSent;
      return {
        sessionsHeld: run.peakConcurrentCalls,
        answered: run.answered,
        ended: run.ended,
        sippExitCode: run.sippExitCode,
        // Audio packets sipp plays (the pcap); each call then also sends a short RFC 4733 digit (about 10 packets).
        framesSent: flags.sessions * Math.ceil(durationMs / 20),
        framesReceived: run.rtpReceived,
        framesLost: run.sequenceGaps,
        framesEchoed: run.rtpSent,
        sequenceGaps: run.sequenceGaps,
        serverCpuMicrosPerFrame: Number(((run.cpuMs * 1000) / Math.max(1, frames)).toFixed(2)),
        serverCpuPercentOfOneCore: run.cpuTotalPct,
        rssPerSessionKiB: run.rssPerCallKb,
        pacerJitterMs: { p50: run.pacerJitterP50Ms, p99: run.pacerJitterP99Ms },
        eventLoopLagMs,
        wallMs: run.wallMs,
        errors: [
          ...(run.sippExitCode === 0 ? [] : [`sipp exited with ${run.sippExitCode} (failed calls)`]),
          ...(run.answered < flags.sessions ? [`${flags.sessions - run.answered} calls not answered`] : []),
        ],
      };
    } finally {
      lag.stop();
      remove();
    }
  },
);
process.exit(0);
