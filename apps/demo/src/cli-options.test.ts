import { describe, expect, test } from "bun:test";
import { InvalidArgumentError } from "@roomkit/spec";
import { parseDemoOptions } from "./cli-options.ts";

describe("parseDemoOptions", () => {
  test("defaults: port 3000, offline without keys, ./data/demo.sqlite", () => {
    expect(parseDemoOptions([], {})).toEqual({
      port: 3000,
      hostname: "localhost",
      provider: "offline",
      databasePath: "./data/demo.sqlite",
    });
  });

  test("OPENAI_API_KEY picks OpenAI, GEMINI_API_KEY picks Gemini, OpenAI wins when both are set", () => {
    expect(parseDemoOptions([], { GEMINI_API_KEY: "g" }).provider).toBe("gemini");
    expect(parseDemoOptions([], { OPENAI_API_KEY: "o" }).provider).toBe("openai");
    expect(parseDemoOptions([], { OPENAI_API_KEY: "o", GEMINI_API_KEY: "g" }).provider).toBe("openai");
  });

  test("--provider forces, --port and PORT set the port (flag first)", () => {
    expect(parseDemoOptions(["--provider", "offline"], { OPENAI_API_KEY: "o" }).provider).toBe("offline");
    expect(parseDemoOptions(["--provider=gemini"], {}).provider).toBe("gemini");
    expect(parseDemoOptions(["--provider", "offline-gemini"], { GEMINI_API_KEY: "g" }).provider).toBe("offline-gemini");
    expect(parseDemoOptions([], { PORT: "8080" }).port).toBe(8080);
    expect(parseDemoOptions(["--port", "4000"], { PORT: "8080" }).port).toBe(4000);
  });

  test("bad values are clear errors", () => {
    expect(() => parseDemoOptions(["--provider", "claude"], {})).toThrow(InvalidArgumentError);
    expect(() => parseDemoOptions(["--port", "99999"], {})).toThrow(/port/);
    expect(() => parseDemoOptions(["--port"], {})).toThrow(/needs a value/);
  });
});
