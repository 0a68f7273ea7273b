import type { FakeReply, FakeUserTurn } from "./types.ts";

const MARKER = /\[\[call:([A-Za-z_][\w.-]*)\s*(\{.*?\})?\]\]/s;

/**
 * The fake's default brain: a `[[call:name {json}]]` marker or a declared tool's name in the text calls that tool;
 * a `[Context update…` text stays silent; otherwise it echoes ("You said: …", or "I heard N ms of audio").
 */
export function defaultBrain(turn: FakeUserTurn): FakeReply {
  const marker = MARKER.exec(turn.text);
  if (marker && turn.toolNames.includes(marker[1]!)) {
    let args: Record<string, unknown> = {};
    if (marker[2]) {
      try {
        args = JSON.parse(marker[2]) as Record<string, unknown>;
      } catch {
        args = { raw: marker[2] };
      }
    }
    return { callTool: { name: marker[1]!, args } };
  }
  const named = turn.toolNames.find((name) => turn.text.includes(name));
  if (named) return { callTool: { name: named, args: {} } };
  if (turn.text.startsWith("[Context update")) return { silence: true };
  if (turn.kind === "audio" && turn.text === "")
    return { say: `I heard ${Math.round(turn.durationMs ?? 0)} ms of audio` };
  return { say: `You said: ${turn.text}` };
}
