// baresip (Debian baresip-core) as a headless real SIP peer for tests: a config dir with an aufile WAV source, a
// null player, the sndfile filter dumping what it decoded, all on 127.0.0.1; driven by `-e` commands and `-t`.
import { createSocket } from "node:dgram";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export function requireBaresip(): string {
  const baresip = Bun.which("baresip");
  if (!baresip)
    throw new Error("baresip is not installed: run packages/transport-sip/scripts/setup-test-env.sh (baresip-core)");
  return baresip;
}

/** A mono 16-bit WAV file of `samples` at `rate`. */
export function wavFile(samples: Int16Array, rate: number): Uint8Array {
  const bytes = new Uint8Array(44 + samples.byteLength);
  const view = new DataView(bytes.buffer);
  const ascii = (offset: number, text: string) => {
    for (let index = 0; index < text.length; index++) bytes[offset + index] = text.charCodeAt(index);
  };
  ascii(0, "RIFF");
  view.setUint32(4, 36 + samples.byteLength, true);
  ascii(8, "WAVEfmt ");
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, rate, true);
  view.setUint32(28, rate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  ascii(36, "data");
  view.setUint32(40, samples.byteLength, true);
  bytes.set(new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength), 44);
  return bytes;
}

/** The samples and rate of a 16-bit PCM WAV (the first `data` chunk; a streaming writer may leave its size 0). */
export function readWav(bytes: Uint8Array): { samples: Int16Array; rate: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const rate = view.getUint32(24, true);
  let offset = 12;
  while (offset + 8 <= bytes.byteLength) {
    const id = String.fromCharCode(...bytes.subarray(offset, offset + 4));
    const size = view.getUint32(offset + 4, true);
    if (id === "data") {
      const end = size > 0 ? Math.min(bytes.byteLength, offset + 8 + size) : bytes.byteLength;
      const data = bytes.slice(offset + 8, end - ((end - offset - 8) % 2));
      return { samples: new Int16Array(data.buffer), rate };
    }
    offset += 8 + size + (size % 2);
  }
  return { samples: new Int16Array(0), rate };
}

export interface BaresipPeerOptions {
  directory: string;
  sipPort: number;
  rtpPortStart: number;
  /** The WAV baresip sends (its rate must be the codec's: 16 kHz for G.722); baresip hangs up at its end. */
  sourceWav: string;
  /** `audio_codecs` of the account, e.g. `G722/16000/1`. */
  codecs: string;
}

/** Writes the config dir; `dumpDirectory` receives sndfile's `*-dec.wav` (what baresip decoded) and `*-enc.wav`. */
export function writeBaresipConfig(options: BaresipPeerOptions): { dumpDirectory: string } {
  const dumpDirectory = join(options.directory, "dump");
  mkdirSync(dumpDirectory, { recursive: true });
  const config = [
    "poll_method epoll",
    `sip_listen 127.0.0.1:${options.sipPort}`,
    "net_interface 127.0.0.1",
    "audio_player aubridge,nil",
    `audio_source aufile,${options.sourceWav}`,
    "audio_alert aubridge,nil",
    `rtp_ports ${options.rtpPortStart}-${options.rtpPortStart + 3}`,
    "module_path /usr/lib/baresip/modules",
    "module g722.so",
    "module g711.so",
    "module aufile.so",
    "module aubridge.so",
    "module sndfile.so",
    "module_app account.so",
    "module_app menu.so",
    `snd_path ${dumpDirectory}`,
  ];
  writeFileSync(join(options.directory, "config"), `${config.join("\n")}\n`);
  writeFileSync(
    join(options.directory, "accounts"),
    `<sip:probe@127.0.0.1>;regint=0;answermode=auto;audio_codecs=${options.codecs}\n`,
  );
  return { dumpDirectory };
}

/** Starts baresip on a config dir; `ready()` resolves once it prints that it is ready; `done()` waits for its exit. */
export function startBaresip(directory: string, extraArgs: string[], timeoutMs: number) {
  const child = Bun.spawn([requireBaresip(), "-f", directory, ...extraArgs], {
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  const timer = setTimeout(() => child.kill(), timeoutMs);
  let output = "";
  const decoder = new TextDecoder();
  const pump = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream) output += decoder.decode(chunk, { stream: true });
  };
  const pumped = Promise.all([pump(child.stdout), pump(child.stderr)]);
  return {
    get output() {
      return output;
    },
    kill() {
      clearTimeout(timer);
      child.kill();
    },
    async done() {
      const code = await child.exited;
      await pumped;
      clearTimeout(timer);
      return { code, output };
    },
  };
}

/** The samples baresip decoded from us during the call (sndfile's `*-dec.wav`). */
export function decodedByBaresip(dumpDirectory: string): { samples: Int16Array; rate: number } {
  const file = readdirSync(dumpDirectory).find((name) => name.endsWith("-dec.wav"));
  if (!file) throw new Error(`no sndfile dump in ${dumpDirectory}: ${readdirSync(dumpDirectory).join(", ")}`);
  return readWav(readFileSync(join(dumpDirectory, file)));
}

/** Fraction of energy at `frequency` in each 20 ms frame louder than `minRms`; returns how many frames exceed `ratio`. */
export function framesDominatedBy(
  samples: Int16Array,
  rate: number,
  frequency: number,
  options: { minRms?: number; ratio?: number } = {},
): number {
  const frame = rate / 50;
  const coefficient = 2 * Math.cos((2 * Math.PI * frequency) / rate);
  let count = 0;
  for (let start = 0; start + frame <= samples.length; start += frame) {
    let energy = 0;
    let previous = 0;
    let beforePrevious = 0;
    for (let index = start; index < start + frame; index++) {
      const sample = samples[index]!;
      energy += sample * sample;
      const current = sample + coefficient * previous - beforePrevious;
      beforePrevious = previous;
      previous = current;
    }
    if (Math.sqrt(energy / frame) < (options.minRms ?? 500)) continue;
    const power = previous * previous + beforePrevious * beforePrevious - coefficient * previous * beforePrevious;
    // A pure tone at `frequency` puts energy · frame / 2 into the Goertzel power.
    if (power / ((energy * frame) / 2) > (options.ratio ?? 0.8)) count++;
  }
  return count;
}

/** True once something holds UDP `port` on 127.0.0.1 (baresip's stdout is block-buffered in a pipe: no "ready" line). */
export function udpPortTaken(port: number): Promise<boolean> {
  const socket = createSocket("udp4");
  return new Promise((resolve) => {
    socket.once("error", () => {
      socket.close();
      resolve(true);
    });
    socket.bind({ address: "127.0.0.1", port, exclusive: true }, () => socket.close(() => resolve(false)));
  });
}
