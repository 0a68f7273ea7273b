import type { FakeConversation } from "./conversation.ts";
import type { SessionObject } from "./session-config.ts";
import { bytesOf } from "./tone.ts";
import type { ConversationItem, FakeUserTurn } from "./types.ts";

/** What the brain answers: the last item of the conversation (or of `response.input`), described as a turn. */
export function buildTurn(
  conversation: FakeConversation,
  session: SessionObject,
  sampleRate: number,
  overrides: Record<string, any>,
): FakeUserTurn {
  const items: ConversationItem[] = Array.isArray(overrides.input)
    ? overrides.input.map((entry: any) =>
        entry?.type === "item_reference" ? (conversation.find(entry.id)?.item ?? entry) : entry,
      )
    : conversation.items.map((entry) => entry.item);
  const candidates = Array.isArray(overrides.tools)
    ? overrides.tools
    : Array.isArray(session.tools)
      ? session.tools
      : [];
  const tools = candidates.filter((tool: unknown): tool is { name: string } => typeof (tool as any)?.name === "string");
  const base = {
    tools,
    instructions: overrides.instructions ?? session.instructions ?? "",
    conversation: items,
    audio: undefined,
    sampleRate: sampleRate,
    audioMs: 0,
    rms: 0,
    text: undefined,
    toolName: undefined,
    toolOutput: undefined,
  };
  const last = items[items.length - 1] as any;
  if (!last) return { ...base, kind: "none" };
  if (last.type === "function_call_output") {
    const call = items.find((item: any) => item.type === "function_call" && item.call_id === last.call_id) as any;
    return { ...base, kind: "tool_result", toolName: call?.name, toolOutput: last.output };
  }
  const stored = last.id ? conversation.find(last.id) : undefined;
  if (stored?.userAudio) {
    const audio = stored.userAudio;
    return {
      ...base,
      kind: "audio",
      text: audio.transcript,
      audioMs: audio.audioMs,
      rms: audio.rms,
      audio: bytesOf(audio.samples),
      sampleRate: audio.sampleRate,
    };
  }
  const text = (last.content ?? [])
    .map((part: any) => part.text ?? part.transcript ?? "")
    .filter(Boolean)
    .join(" ");
  return { ...base, kind: last.type === "message" ? "text" : "none", text };
}
