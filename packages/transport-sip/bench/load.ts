// Load: sipp places N concurrent calls (BENCH_CALLS, default "50,100,200") against one SipVoiceBackend on
// 127.0.0.1; each plays a 4 s PCMU pcap and stays up ~5 s. Our side echoes every received frame back through the
// call's OutboundAudioPacer, so each call carries 50 packets/s each way. Measured per load level:
//   cpuPerCallPct   this process's CPU (user+sys) during the calls / wall time / calls, in % of one core,
//   pacerJitterP99Ms 99th percentile of |interval − 20 ms| between consecutive paced sends of a call (after the
//                    pre-buffer burst), i.e. how regular the outbound RTP is,
//   sequenceGaps     inbound RTP packets lost (sequence gaps) summed over all calls (loopback: should be 0),
//   rssPerCallKb     resident memory growth / calls.
// Prints ONE JSON object. Needs sipp (scripts/setup-test-env.sh).
import { level, writeLoadPcap } from "./load-level.ts";

const levels = (process.env.BENCH_CALLS ?? "50,100,200").split(",").map(Number);
const { pcap, remove } = writeLoadPcap();
const results = [];
for (const [index, calls] of levels.entries()) results.push(await level(calls, index, pcap));
remove();
console.log(
  JSON.stringify({ benchmark: "transport-sip load (sipp, 127.0.0.1)", runtime: `bun ${Bun.version}`, results }),
);
