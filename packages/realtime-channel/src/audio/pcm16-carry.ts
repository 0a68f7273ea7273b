import type { OutboundState } from "./outbound-state.ts";

/**
 * Keeps the provider's audio stream sample-aligned: a chunk with an odd byte count leaves its last byte (half a
 * PCM16 sample) behind, and it is put in front of the next chunk. Runs before any gate, so a dropped chunk never
 * shifts the parity of what follows. Allocates only when a byte is carried in.
 */
export function alignProviderAudio(state: OutboundState, audio: Uint8Array): Uint8Array {
  const carried = state.carry;
  const length = audio.byteLength + (carried >= 0 ? 1 : 0);
  const usable = length & ~1;
  state.carry = usable === length ? -1 : audio[audio.byteLength - 1]!;
  if (carried < 0) return audio.subarray(0, usable);
  const out = new Uint8Array(usable);
  if (usable > 0) {
    out[0] = carried;
    out.set(audio.subarray(0, usable - 1), 1);
  }
  return out;
}
