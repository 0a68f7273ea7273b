import type { RoomKit } from "@roomkit/core";
import { HookResult, HookTrigger, type ToolCallEvent } from "@roomkit/spec";

async function fetchWeather(city: string) {
  return { city, temperature: 18, condition: "cloudy" };
}

export function registerToolHooks(kit: RoomKit) {
  kit.hook(HookTrigger.ON_REALTIME_TOOL_CALL, async (event: ToolCallEvent) => {
    if (event.metadata.name === "get_weather") {
      const args = event.metadata.arguments as { city: string };
      const result = await fetchWeather(args.city);
      event.metadata.result = result;
    }
  });

  // Gate a call before any handler runs: block it, or rewrite its arguments (they are validated again).
  kit.hook(HookTrigger.BEFORE_TOOL_USE, (event: ToolCallEvent) => {
    if (event.name === "delete_account") return HookResult.block("Not allowed on a voice call");
    if (event.name === "get_weather" && event.arguments.city === "NYC") {
      return HookResult.allow({ arguments: { ...event.arguments, city: "New York" } });
    }
    return undefined;
  });
}
