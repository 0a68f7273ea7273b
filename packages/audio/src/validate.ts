import { InvalidArgumentError } from "@roomkit/spec";

/** Throws `InvalidArgumentError` unless `bytes` is a `Uint8Array` holding whole PCM16 samples. */
export function assertPcm16(bytes: unknown, name = "pcm"): asserts bytes is Uint8Array {
  if (!(bytes instanceof Uint8Array)) {
    throw new InvalidArgumentError(`${name} must be a Uint8Array of PCM16 little-endian samples`);
  }
  if ((bytes.byteLength & 1) !== 0) {
    throw new InvalidArgumentError(
      `${name} has an odd byte length (${bytes.byteLength}); PCM16 needs 2 bytes per sample`,
    );
  }
}

export function assertBytes(bytes: unknown, name: string): asserts bytes is Uint8Array {
  if (!(bytes instanceof Uint8Array)) throw new InvalidArgumentError(`${name} must be a Uint8Array`);
}

/** A finite number within [min, max]; the message names the field. */
export function assertFiniteInRange(value: unknown, name: string, min: number, max: number): asserts value is number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > max) {
    throw new InvalidArgumentError(`${name} must be a finite number in [${min}, ${max}], got ${String(value)}`);
  }
}

/** One of the sample rates RoomKit's audio code supports. */
export const SUPPORTED_SAMPLE_RATES: readonly number[] = [8000, 16000, 22050, 24000, 32000, 44100, 48000];

export function assertSupportedRate(value: unknown, name: string): asserts value is number {
  if (typeof value !== "number" || !SUPPORTED_SAMPLE_RATES.includes(value)) {
    throw new InvalidArgumentError(
      `${name} must be one of ${SUPPORTED_SAMPLE_RATES.join(", ")} Hz, got ${String(value)}`,
    );
  }
}

/** A positive sample rate (any integer 1..384000), used by generators and WAV, which are not limited to the list. */
export function assertSampleRate(value: unknown, name: string): asserts value is number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > 384_000) {
    throw new InvalidArgumentError(`${name} must be an integer in [1, 384000] Hz, got ${String(value)}`);
  }
}
