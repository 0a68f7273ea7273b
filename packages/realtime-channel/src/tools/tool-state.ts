import type { ToolDefinition } from "@roomkit/spec";
import type { ToolCallLedger } from "./tool-call-ledger.ts";

/** Tool state of one session (owned by `tool-call-handler.ts`); created on the first tool call or catalogue. */
export class ToolState {
  /** The declared tools by name (undefined: none declared, any name is passed to the handler). */
  catalogue: Map<string, ToolDefinition> | undefined;
  calls: ToolCallLedger | undefined;
  /** Tool calls running while `muteOnToolCall` holds the caller's input muted. */
  muting = 0;
}
