// Load: sipp places N concurrent calls (BENCH_CALLS, default "50,100,200") against one SipVoiceBackend on
// 127.0.0.1; each plays a 4 s PCMU pcap and stays up ~5 s. BENCH_OUTBOUND picks what our side sends through the
// call's OutboundAudioPacer, 50 packets/s each way either way:
//   stream (default) 4 s of audio pushed at answer in 100 ms chunks, as a provider streams faster than real time:
//                    the pacer's queue never runs dry, so its timing is ours alone;
//   echo             every received 20 ms frame is pushed back as it arrives, so a send often waits for the peer's
//                    next frame and sipp's own send jitter shows in ours.
// Measured per load level:
//   cpuPerCallPct   this process's CPU (user+sys) during the calls / wall time / calls, in % of one core,
//   pacerJitterP99Ms 99th percentile of |interval − 20 ms| between consecutive paced sends of a call (after the
//                    pre-buffer burst), i.e. how regular the outbound RTP is,
//   loopTimerJitter* the same |interval − 20 ms| for a bare self-correcting 20 ms setTimeout chain running in this
//                    process meanwhile: what the event loop and the machine allow, without any pacer or RTP work,
//   sequenceGaps     inbound RTP packets lost (sequence gaps) summed over all calls (loopback: should be 0),
//   rssPerCallKb     resident memory growth / calls.
// Prints ONE JSON object. Needs sipp (scripts/setup-test-env.sh).
import { level, writeLoadPcap } from "./load-level.ts";

const levels = (process.env.BENCH_CALLS ?? "50,100,200").split(",").map(Number);
const outbound = process.env.BENCH_OUTBOUND === "echo" ? "echo" : "stream";
const { pcap, remove } = writeLoadPcap();
const results = [];
for (const [index, calls] of levels.entries()) results.push(await level(calls, index, pcap, 5000, outbound));
remove();
console.log(
  JSON.stringify({ benchmark: "transport-sip load (sipp, 127.0.0.1)", runtime: `bun ${Bun.version}`, results }),
);
