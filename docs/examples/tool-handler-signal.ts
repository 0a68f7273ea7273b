import type { ToolHandler } from "@roomkit/realtime-channel";

// The 4th argument: the call id, and a signal that aborts when the provider cancels the call or the session ends.
export const searchKnowledge: ToolHandler = async (_session, _name, args, { signal }) => {
  const query = encodeURIComponent(String(args.query ?? ""));
  const response = await fetch(`https://kb.example.com/search?q=${query}`, { signal });
  return await response.json();
};
