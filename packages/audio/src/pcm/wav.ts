import { InvalidArgumentError } from "@roomkit/spec";
import { assertBytes, assertPcm16, assertSampleRate } from "../validate.ts";

export interface WavAudio {
  /** PCM16 little-endian samples, interleaved when `channels` is 2. */
  readonly data: Uint8Array;
  readonly sampleRate: number;
  readonly channels: number;
}

export interface WriteWavOptions {
  data: Uint8Array;
  sampleRate: number;
  channels?: number;
}

function ascii(view: DataView, offset: number): string {
  return String.fromCharCode(
    view.getUint8(offset),
    view.getUint8(offset + 1),
    view.getUint8(offset + 2),
    view.getUint8(offset + 3),
  );
}

/**
 * Parses a RIFF/WAVE file holding 16-bit PCM (format 1, or WAVE_FORMAT_EXTENSIBLE with a PCM sub-format), 1 or 2
 * channels. Unknown chunks are skipped. The returned `data` is a view into `bytes` (no copy). A truncated data chunk
 * yields the samples present (rounded down to whole frames). Anything else throws `InvalidArgumentError`.
 */
export function readWav(bytes: Uint8Array): WavAudio {
  assertBytes(bytes, "wav");
  if (bytes.byteLength < 12) throw new InvalidArgumentError("wav is shorter than a RIFF header");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (ascii(view, 0) !== "RIFF" || ascii(view, 8) !== "WAVE") throw new InvalidArgumentError("not a RIFF/WAVE file");
  let offset = 12;
  let format: { channels: number; sampleRate: number } | undefined;
  while (offset + 8 <= bytes.byteLength) {
    const id = ascii(view, offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === "fmt ") {
      if (size < 16 || body + 16 > bytes.byteLength) throw new InvalidArgumentError("wav fmt chunk is truncated");
      let tag = view.getUint16(body, true);
      const channels = view.getUint16(body + 2, true);
      const sampleRate = view.getUint32(body + 4, true);
      const bits = view.getUint16(body + 14, true);
      if (tag === 0xfffe && size >= 40 && body + 26 <= bytes.byteLength) tag = view.getUint16(body + 24, true);
      if (tag !== 1 || bits !== 16) {
        throw new InvalidArgumentError(`unsupported wav encoding (format ${tag}, ${bits} bits); need 16-bit PCM`);
      }
      if (channels !== 1 && channels !== 2) throw new InvalidArgumentError(`unsupported wav channel count ${channels}`);
      assertSampleRate(sampleRate, "wav sampleRate");
      format = { channels, sampleRate };
    } else if (id === "data") {
      if (!format) throw new InvalidArgumentError("wav data chunk before fmt chunk");
      const available = Math.min(size, bytes.byteLength - body);
      const frameBytes = 2 * format.channels;
      const length = available - (available % frameBytes);
      return { data: bytes.subarray(body, body + length), sampleRate: format.sampleRate, channels: format.channels };
    }
    offset = body + size + (size & 1);
  }
  throw new InvalidArgumentError("wav has no data chunk");
}

/** Wraps PCM16 little-endian samples in a 44-byte canonical WAV header. */
export function writeWav(options: WriteWavOptions): Uint8Array {
  assertPcm16(options.data, "data");
  assertSampleRate(options.sampleRate, "sampleRate");
  const channels = options.channels ?? 1;
  if (channels !== 1 && channels !== 2) throw new InvalidArgumentError(`channels must be 1 or 2, got ${channels}`);
  if (options.data.byteLength % (2 * channels) !== 0) {
    throw new InvalidArgumentError("data length is not a whole number of frames");
  }
  if (options.data.byteLength > 0xffffffff - 36) throw new InvalidArgumentError("data is too large for a WAV file");
  const output = new Uint8Array(44 + options.data.byteLength);
  const view = new DataView(output.buffer);
  const writeAscii = (offset: number, text: string) => {
    for (let i = 0; i < 4; i++) view.setUint8(offset + i, text.charCodeAt(i));
  };
  writeAscii(0, "RIFF");
  view.setUint32(4, 36 + options.data.byteLength, true);
  writeAscii(8, "WAVE");
  writeAscii(12, "fmt ");
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, channels, true);
  view.setUint32(24, options.sampleRate, true);
  view.setUint32(28, options.sampleRate * channels * 2, true);
  view.setUint16(32, channels * 2, true);
  view.setUint16(34, 16, true);
  writeAscii(36, "data");
  view.setUint32(40, options.data.byteLength, true);
  output.set(options.data, 44);
  return output;
}
