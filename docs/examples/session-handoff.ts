import type { RealtimeVoiceChannel } from "@roomkit/realtime-channel";
import type { ToolDefinition } from "@roomkit/spec";

const billingTools: ToolDefinition[] = [
  {
    type: "function",
    name: "get_invoice",
    description: "Look up an invoice by number",
    parameters: { type: "object", properties: { number: { type: "string" } }, required: ["number"] },
  },
];

export async function handOffToBilling(
  channel: RealtimeVoiceChannel,
  roomId: string,
  participantId: string,
  connection?: unknown,
) {
  // Start with general assistant
  const session = await channel.startSession(roomId, participantId, { connection });

  // Hand off to specialist — context is preserved
  await channel.reconfigureSession(session.id, {
    systemPrompt: "You are a billing specialist.",
    voice: "Kore",
    tools: billingTools,
  });
  return session;
}
