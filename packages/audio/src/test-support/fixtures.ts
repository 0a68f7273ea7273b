import { readFileSync } from "node:fs";
import { join } from "node:path";

const FIXTURES = join(import.meta.dir, "..", "..", "fixtures");

/** Reads a committed fixture (made by scripts/make-fixtures.sh) as bytes. Test-only helper. */
export function readFixture(name: string): Uint8Array {
  const buffer = readFileSync(join(FIXTURES, name));
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** Reads a raw PCM16 fixture as aligned Int16 samples. */
export function readPcmFixture(name: string): Int16Array {
  const bytes = readFixture(name);
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Int16Array(copy.buffer);
}
