import type { ToolDefinition } from "@roomkit/spec";
import { toolsByName } from "../session/resolve-session-config.ts";
import type { SessionState } from "../session/session-state.ts";
import { ToolState } from "./tool-state.ts";

/** The session's declared tools (gating follows them); no tool state is created for a session without tools. */
export function setToolCatalogue(state: SessionState, tools: readonly ToolDefinition[] | undefined): void {
  const catalogue = toolsByName(tools);
  if (catalogue === undefined && state.tools === undefined) return;
  (state.tools ??= new ToolState()).catalogue = catalogue;
}
