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
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeMulaw } from "@roomkit/audio";
import { silentLogger } from "@roomkit/spec";
import type { SipCall } from "../src/backend/sip-call.ts";
import { SipVoiceBackend } from "../src/backend/sip-voice-backend.ts";
import { writeRtpPcap } from "../src/loopback/pcap-writer.ts";

const levels = (process.env.BENCH_CALLS ?? "50,100,200").split(",").map(Number);
const outbound = process.env.BENCH_OUTBOUND === "echo" ? "echo" : "stream";
const found = Bun.which("sipp");
if (!found) throw new Error("sipp is not installed: run packages/transport-sip/scripts/setup-test-env.sh");
const sipp: string = found;
const work = mkdtempSync(join(tmpdir(), "sip-load-"));
const tone = new Int16Array(8000 * 4).map((_, index) => Math.round(6000 * Math.sin(index / 3)));
const bytes = new Uint8Array(tone.buffer);
const packets = [];
for (let index = 0; index < 200; index++) {
  packets.push({
    timeMs: index * 20,
    payloadType: 0,
    sequenceNumber: index,
    timestamp: index * 160,
    ssrc: 0x5151,
    payload: encodeMulaw(bytes.subarray(index * 320, (index + 1) * 320)),
  });
}
const pcap = join(work, "load.pcap");
writeFileSync(pcap, writeRtpPcap(packets));
const scenario = join(import.meta.dir, "../src/test-support/sipp/uac-media.xml");

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! * 100) / 100;
}

const distribution = (values: number[]) => ({
  p50: percentile(values, 50),
  p90: percentile(values, 90),
  p99: percentile(values, 99),
  max: percentile(values, 100),
});

/** A bare 20 ms setTimeout chain, corrected against the clock like the pacer; returns its stop function. */
function timerProbe(jitter: number[]): () => void {
  const start = performance.now();
  let ticks = 0;
  let last = start;
  let timer: ReturnType<typeof setTimeout>;
  const tick = () => {
    const now = performance.now();
    if (ticks > 0) jitter.push(Math.abs(now - last - 20));
    last = now;
    ticks++;
    timer = setTimeout(tick, Math.max(0, start + ticks * 20 - performance.now()));
  };
  timer = setTimeout(tick, 20);
  return () => clearTimeout(timer);
}

const streamed = new Uint8Array(
  new Int16Array(8000 * 4).map((_, index) => Math.round(5000 * Math.sin(index / 5))).buffer,
);

async function level(calls: number, index: number) {
  const sipPort = 25000 + index * 10;
  const backend = new SipVoiceBackend({
    host: "127.0.0.1",
    port: sipPort,
    rtpPortStart: 30000 + index * 1000,
    rtpPortEnd: 30000 + index * 1000 + 1000,
    logger: silentLogger,
  });
  await backend.start();
  const jitter: number[] = [];
  const ended: SipCall[] = [];
  let answered = 0;
  backend.onCall((call) => {
    answered++;
    let last: number | undefined;
    if (outbound === "echo") call.onAudio((pcm) => call.sendAudio(pcm));
    else {
      for (let offset = 0; offset < streamed.byteLength; offset += 1600)
        call.sendAudio(streamed.subarray(offset, offset + 1600));
      call.endOfResponse();
    }
    call.onAudioSent(() => {
      const now = performance.now();
      if (last !== undefined && call.pacer.responseSentMs > 100) jitter.push(Math.abs(now - last - 20));
      last = now;
    });
  });
  backend.onCallEnded((call) => void ended.push(call));
  Bun.gc(true);
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const child = Bun.spawn(
    [
      sipp,
      `127.0.0.1:${sipPort}`,
      "-sf",
      scenario,
      "-i",
      "127.0.0.1",
      "-p",
      String(sipPort + 2),
      "-mi",
      "127.0.0.1",
      "-mp",
      String(40000 + index * 10),
      "-key",
      "offer",
      "0 101",
      "-key",
      "pcap",
      pcap,
      "-key",
      "room",
      "load",
      "-d",
      "5000",
      "-r",
      String(calls),
      "-rp",
      "1000",
      "-l",
      String(calls),
      "-m",
      String(calls),
      "-nostdin",
      "-timeout",
      "60s",
      "-timeout_error",
    ],
    { stdout: "pipe", stderr: "pipe" },
  );
  const loopJitter: number[] = [];
  const stopProbe = timerProbe(loopJitter);
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  }, 250);
  const code = await child.exited;
  clearInterval(sampler);
  stopProbe();
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const lost = ended.reduce((total, call) => total + call.rtp.stats.packetsLost, 0);
  const received = ended.reduce((total, call) => total + call.rtp.stats.packetsReceived, 0);
  const sent = ended.reduce((total, call) => total + call.rtp.stats.packetsSent, 0);
  await backend.close();
  return {
    calls,
    sippExitCode: code,
    answered,
    ended: ended.length,
    wallMs: Math.round(wallMs),
    cpuPerCallPct: Math.round(((cpu.user + cpu.system) / 1000 / wallMs / calls) * 100 * 1000) / 1000,
    cpuTotalPct: Math.round(((cpu.user + cpu.system) / 1000 / wallMs) * 1000) / 10,
    outbound,
    pacerJitterP50Ms: percentile(jitter, 50),
    pacerJitterP99Ms: percentile(jitter, 99),
    pacerJitterMs: distribution(jitter),
    loopTimerJitterMs: distribution(loopJitter),
    pacedSends: jitter.length,
    rtpReceived: received,
    rtpSent: sent,
    sequenceGaps: lost,
    rssPerCallKb: Math.round((rssPeak - rssBefore) / 1024 / calls),
  };
}

const results = [];
for (const [index, calls] of levels.entries()) results.push(await level(calls, index));
rmSync(work, { recursive: true, force: true });
console.log(
  JSON.stringify({ benchmark: "transport-sip load (sipp, 127.0.0.1)", runtime: `bun ${Bun.version}`, results }),
);
