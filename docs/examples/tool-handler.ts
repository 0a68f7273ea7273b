import { RealtimeVoiceChannel } from "@roomkit/realtime-channel";
import type { RealtimeTransport, RealtimeVoiceProvider, ToolArguments, VoiceSession } from "@roomkit/spec";

async function handleTool(_session: VoiceSession, name: string, args: ToolArguments) {
  if (name === "get_weather") {
    const city = typeof args.city === "string" ? args.city : "Unknown";
    return { temperature: 72, condition: "sunny", city };
  } else if (name === "search_knowledge") {
    return { results: ["Article 1", "Article 2"] };
  }
  return { error: `Unknown tool: ${name}` };
}

export function createToolChannel(provider: RealtimeVoiceProvider, transport: RealtimeTransport) {
  return new RealtimeVoiceChannel("voice", {
    provider,
    transport,
    tools: [
      {
        type: "function",
        name: "get_weather",
        description: "Get current weather for a city",
        parameters: {
          type: "object",
          properties: {
            city: { type: "string", description: "City name" },
          },
          required: ["city"],
        },
      },
      {
        type: "function",
        name: "search_knowledge",
        description: "Search the knowledge base",
        parameters: { type: "object", properties: { query: { type: "string" } } },
      },
    ],
    toolHandler: handleTool,
    muteOnToolCall: true, // Prevent barge-in during tool execution
  });
}
