import type { ToolDefinition } from "@roomkit/spec";

/** What a session is connected with; per-session overrides come from metadata, the rest from the channel. */
export interface SessionConfig {
  systemPrompt: string | undefined;
  voice: string | undefined;
  tools: readonly ToolDefinition[] | undefined;
  temperature: number | undefined;
  providerConfig: Record<string, unknown> | undefined;
}

/** The sample rates of one session: caller/transport side and provider side, per direction. */
export interface SessionRates {
  transportIn: number;
  providerIn: number;
  providerOut: number;
  transportOut: number;
}
