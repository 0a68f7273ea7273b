// Shared by the real-peer tests: a sipp run bounded in time, test tones, and RTP pcaps for sipp's play_pcap_audio.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { encodeMulaw, G722Encoder } from "@roomkit/audio";
import { writeRtpPcap } from "../loopback/pcap-writer.ts";

export const SIPP_SCENARIOS = join(import.meta.dir, "sipp");

export function requireSipp(): string {
  const sipp = Bun.which("sipp");
  if (!sipp)
    throw new Error("sipp is not installed: run packages/transport-sip/scripts/setup-test-env.sh (Debian sip-tester)");
  return sipp;
}

export function tone(rate: number, ms: number, frequency: number, amplitude = 8000): Int16Array {
  const samples = new Int16Array((rate * ms) / 1000);
  for (let index = 0; index < samples.length; index++) {
    samples[index] = Math.round(amplitude * Math.sin((2 * Math.PI * frequency * index) / rate));
  }
  return samples;
}

/** Writes a pcap of `pcm` encoded 20 ms per packet (PCMU or G.722), sequence/timestamp continuous; returns its path. */
export function makePcap(directory: string, name: string, payloadType: 0 | 9, pcm: Int16Array): string {
  const bytes = new Uint8Array(pcm.buffer);
  const rate = payloadType === 9 ? 16000 : 8000;
  const frameBytes = (rate / 50) * 2;
  const encoder = payloadType === 9 ? new G722Encoder() : { encode: encodeMulaw };
  const packets = [];
  for (let index = 0; index * frameBytes < bytes.byteLength; index++) {
    packets.push({
      timeMs: index * 20,
      payloadType,
      sequenceNumber: 1000 + index,
      timestamp: 50_000 + index * 160,
      ssrc: 0x1234_5678,
      marker: index === 0,
      payload: encoder.encode(bytes.subarray(index * frameBytes, (index + 1) * frameBytes)),
    });
  }
  const path = join(directory, name);
  writeFileSync(path, writeRtpPcap(packets));
  return path;
}

/** Runs one sipp call (`-m 1`), killed after `timeoutMs`; resolves with its exit code and output. */
export async function runSipp(args: string[], options: { cwd: string; timeoutMs?: number }) {
  const child = Bun.spawn([requireSipp(), ...args, "-m", "1", "-nostdin", "-timeout", "15s", "-timeout_error"], {
    cwd: options.cwd,
    stdout: "pipe",
    stderr: "pipe",
  });
  const timer = setTimeout(() => child.kill(), options.timeoutMs ?? 20_000);
  const [code, stdout, stderr] = await Promise.all([
    child.exited,
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
  ]);
  clearTimeout(timer);
  return { code, output: stdout + stderr };
}
