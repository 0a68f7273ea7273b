import type { ToolArguments, ToolDefinition } from "@roomkit/spec";

/** The demo's tools, as in the seed: weather (Quick Start) and order lookup (complete example). */
export const DEMO_TOOLS: readonly ToolDefinition[] = [
  {
    type: "function",
    name: "get_weather",
    description: "Get current weather for a city",
    parameters: {
      type: "object",
      properties: { city: { type: "string", description: "City name" } },
      required: ["city"],
    },
  },
  {
    type: "function",
    name: "lookup_order",
    description: "Look up an order by ID",
    parameters: {
      type: "object",
      properties: { order_id: { type: "string" } },
      required: ["order_id"],
    },
  },
];

/** Canned results (the demo has no real weather or order service). */
export function runDemoTool(name: string, args: ToolArguments): Record<string, unknown> {
  if (name === "get_weather") {
    const city = typeof args.city === "string" && args.city.length > 0 ? args.city : "Unknown";
    return { temperature: 72, condition: "sunny", city };
  }
  if (name === "lookup_order") {
    const orderId = typeof args.order_id === "string" ? args.order_id : "unknown";
    return { order_id: orderId, status: "shipped", eta: "Tomorrow" };
  }
  return { error: `Unknown tool: ${name}` };
}
