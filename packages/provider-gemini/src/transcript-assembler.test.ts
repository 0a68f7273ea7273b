import { describe, expect, test } from "bun:test";
import { TranscriptAssembler } from "./transcript-assembler.ts";

function create() {
  const out: Array<[string, string, boolean]> = [];
  const assembler = new TranscriptAssembler((text, role, isFinal) => out.push([text, role, isFinal]));
  return { out, assembler };
}

describe("TranscriptAssembler (§8 item 86, 0.46.0 fixes)", () => {
  test("chunks → partial chunks → one concatenated final on flush", () => {
    const { out, assembler } = create();
    assembler.chunk("user", "Hel");
    assembler.chunk("user", "lo there");
    assembler.flush("user");
    expect(out).toEqual([
      ["Hel", "user", false],
      ["lo there", "user", false],
      ["Hello there", "user", true],
    ]);
  });

  test("a finished chunk emits the final at once", () => {
    const { out, assembler } = create();
    assembler.chunk("assistant", "Done.", true);
    expect(out).toEqual([
      ["Done.", "assistant", false],
      ["Done.", "assistant", true],
    ]);
  });

  test("whitespace-only and empty flushes emit nothing", () => {
    const { out, assembler } = create();
    assembler.flush("user");
    assembler.chunk("user", "   ");
    assembler.flush("user");
    expect(out.filter((entry) => entry[2])).toEqual([]);
  });

  test("a repeated final is dropped as a re-emission; after a guard reset a repeated utterance passes", () => {
    const { out, assembler } = create();
    assembler.chunk("user", "yes");
    assembler.flush("user");
    assembler.chunk("user", "yes");
    assembler.flush("user");
    assembler.resetDuplicateGuard("user");
    assembler.chunk("user", "yes");
    assembler.flush("user");
    expect(out.filter((entry) => entry[2])).toEqual([
      ["yes", "user", true],
      ["yes", "user", true],
    ]);
  });

  test("roles are independent; clear drops buffered text", () => {
    const { out, assembler } = create();
    assembler.chunk("user", "a");
    assembler.chunk("assistant", "b");
    assembler.clear();
    assembler.flush("user");
    assembler.flush("assistant");
    expect(out.filter((entry) => entry[2])).toEqual([]);
  });
});
