import type { Random } from "./random.ts";

/**
 * The hand mutator: takes a valid seed (a JSON text frame, a binary frame or a structured store input) and breaks it
 * the ways a hostile peer would: flipped and inserted characters, spliced seeds, and, for JSON, a node replaced by a
 * value of the wrong type, a huge or strange string, a deep nesting or a prototype key.
 */

const HUGE = "x".repeat(300_000);
/**
 * The deepest nesting the mutator makes. At 20,000 levels the SQLite store took 110–480 ms per input, and a cyclic
 * value with a deep branch took seconds (Bun's JSON.stringify): the store now refuses both (store-input.ts).
 */
const DEEP_LEVELS = Number(process.env.FUZZ_DEEP_LEVELS ?? 20_000);
const INTERESTING_STRINGS = [
  "",
  " ",
  "\u0000",
  "\ud800",
  "\udfff\ud800",
  "__proto__",
  "constructor",
  "toString",
  "%s%n",
  "'; DROP TABLE rooms; --",
  "../../etc/passwd",
  "\u202e",
  "🙂".repeat(50),
  "a".repeat(4097),
  "====",
  "AAA",
  "AA==",
  "!!!!",
];
const INTERESTING_NUMBERS = [0, -0, -1, 1, 0.5, 2 ** 31, -(2 ** 31), 2 ** 53, -(2 ** 53), 1e308, -1e308, 5e-324];
const TEXT_TOKENS = [
  '"',
  "\\",
  "{",
  "}",
  "[",
  "]",
  ",",
  ":",
  "null",
  "NaN",
  "Infinity",
  "1e999",
  "-",
  "\\u0000",
  "\\ud800",
  "\u0000",
  '"__proto__":{}',
  '"type":',
];

export function interestingValue(random: Random, depth = 0): unknown {
  switch (random.below(12)) {
    case 0:
      return random.pick(INTERESTING_STRINGS);
    case 1:
      return random.pick(INTERESTING_NUMBERS);
    case 2:
      return null;
    case 3:
      return random.chance(0.5);
    case 4:
      return [];
    case 5:
      return {};
    case 6:
      return random.chance(0.02) ? HUGE : "y".repeat(random.below(5000));
    case 7:
      return deepNesting(random.chance(0.95) ? 100 : DEEP_LEVELS);
    case 8:
      return depth < 3 ? [interestingValue(random, depth + 1), interestingValue(random, depth + 1)] : 1;
    case 9:
      return depth < 3 ? { [random.pick(INTERESTING_STRINGS)]: interestingValue(random, depth + 1) } : "z";
    case 10:
      return JSON.parse('{"__proto__":{"polluted":true},"type":"x"}');
    default:
      return String(random.pick(INTERESTING_NUMBERS));
  }
}

function deepNesting(depth: number): unknown {
  let value: unknown = 1;
  for (let level = 0; level < depth; level++) value = level % 2 === 0 ? [value] : { a: value };
  return value;
}

/** Replaces, removes or adds one node somewhere inside a parsed JSON value (mutates a copy). */
function mutateJsonNode(random: Random, value: unknown): unknown {
  if (value === null || typeof value !== "object" || random.chance(0.15)) return interestingValue(random);
  const container = value as Record<string, unknown>;
  const keys = Object.keys(container);
  const choice = random.below(10);
  if (choice === 0 && keys.length > 0) {
    delete container[random.pick(keys)];
    return container;
  }
  if (choice === 1) {
    container[random.pick(INTERESTING_STRINGS)] = interestingValue(random);
    return container;
  }
  if (keys.length === 0) return interestingValue(random);
  const key = random.pick(keys);
  container[key] = mutateJsonNode(random, container[key]);
  return container;
}

function mutateText(random: Random, text: string, corpus: readonly string[]): string {
  const position = random.below(text.length + 1);
  switch (random.below(8)) {
    case 0:
      return text.slice(0, position) + random.pick(TEXT_TOKENS) + text.slice(position);
    case 1:
      return text.slice(0, position) + text.slice(position + 1 + random.below(16));
    case 2: {
      const code = (text.charCodeAt(position) || 0) ^ (1 << random.below(16));
      return text.slice(0, position) + String.fromCharCode(code) + text.slice(position + 1);
    }
    case 3:
      return text.slice(0, position);
    case 4: {
      const other = random.pick(corpus);
      return text.slice(0, position) + other.slice(random.below(other.length + 1));
    }
    case 5: {
      const start = random.below(text.length + 1);
      const piece = text.slice(start, start + 1 + random.below(64));
      return text.slice(0, position) + piece.repeat(1 + random.below(200)) + text.slice(position);
    }
    case 6:
      return text.slice(0, position) + String(random.pick(INTERESTING_NUMBERS)) + text.slice(position);
    default:
      return text.slice(0, position) + random.pick(INTERESTING_STRINGS) + text.slice(position);
  }
}

/** One mutated text frame from a corpus of valid JSON frames. */
export function mutateJsonText(random: Random, corpus: readonly string[]): string {
  const seed = random.pick(corpus);
  if (random.chance(0.55)) {
    let value: unknown = JSON.parse(seed);
    for (let round = 1 + random.below(3); round > 0; round--) value = mutateJsonNode(random, value);
    return JSON.stringify(value) ?? "null";
  }
  let text = seed;
  for (let round = 1 + random.below(4); round > 0; round--) text = mutateText(random, text, corpus);
  return text;
}

/** One mutated binary frame from a corpus of valid frames. */
export function mutateBytes(random: Random, corpus: readonly Uint8Array[]): Uint8Array {
  const seed = random.pick(corpus);
  switch (random.below(7)) {
    case 0: {
      const copy = seed.slice();
      if (copy.length > 0) copy[random.below(copy.length)]! ^= 1 << random.below(8);
      return copy;
    }
    case 1:
      return seed.subarray(0, random.below(seed.length + 1));
    case 2:
      return new Uint8Array(0);
    case 3:
      return new Uint8Array(1 + random.below(7) * 2 + 1);
    case 4: {
      const size = random.pick([255 * 1024, 256 * 1024, 256 * 1024 + 1, 256 * 1024 + 2, 1024 * 1024]);
      return new Uint8Array(size);
    }
    case 5: {
      const bytes = new Uint8Array(random.below(4096));
      for (let index = 0; index < bytes.length; index++) bytes[index] = random.below(256);
      return bytes;
    }
    default: {
      const joined = new Uint8Array(seed.length * 2 + 1);
      joined.set(seed);
      joined.set(seed, seed.length + 1);
      return joined;
    }
  }
}

/** Mutates one field of a structured input (a plain object of fields), with non-JSON values too. */
export function mutateRecord(random: Random, seed: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...seed };
  const keys = Object.keys(copy);
  for (let round = 1 + random.below(3); round > 0; round--) {
    const key = random.pick(keys);
    copy[key] = random.chance(0.25) ? hostileJsValue(random) : mutateJsonNode(random, cloneOrKeep(copy[key]));
  }
  return copy;
}

/** A copy to mutate; a value that cannot be cloned (a hostile one from an earlier round) is replaced. */
function cloneOrKeep(value: unknown): unknown {
  try {
    return structuredClone(value);
  } catch {
    return null;
  }
}

/** Values no JSON frame can carry but an application can pass: cycles, BigInt, throwing getters and toJSON. */
export function hostileJsValue(random: Random): unknown {
  switch (random.below(7)) {
    case 0: {
      const cycle: Record<string, unknown> = { a: 1 };
      cycle.self = cycle;
      return cycle;
    }
    case 1:
      return { big: 10n };
    case 2:
      return {
        get boom() {
          throw new Error("getter throws");
        },
      };
    case 3:
      return {
        toJSON() {
          throw new Error("toJSON throws");
        },
      };
    case 4:
      return { when: new Date(Number.NaN) };
    case 5:
      return Object.create(null) as object;
    default:
      return { fn: () => 1, sym: Symbol("s"), undef: undefined };
  }
}
