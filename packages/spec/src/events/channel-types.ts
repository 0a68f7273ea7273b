export const ChannelType = {
  REALTIME_VOICE: "realtime_voice",
  VOICE: "voice",
  AI: "ai",
  WEBSOCKET: "websocket",
  SMS: "sms",
  EMAIL: "email",
  WEBHOOK: "webhook",
  MOCK: "mock",
} as const;
export type ChannelType = (typeof ChannelType)[keyof typeof ChannelType] | (string & {});

export const ChannelCategory = { TRANSPORT: "transport", INTELLIGENCE: "intelligence" } as const;
export type ChannelCategory = (typeof ChannelCategory)[keyof typeof ChannelCategory];

export const ChannelDirection = { INBOUND: "inbound", OUTBOUND: "outbound", BIDIRECTIONAL: "bidirectional" } as const;
export type ChannelDirection = (typeof ChannelDirection)[keyof typeof ChannelDirection];

export const Access = {
  READ_WRITE: "read_write",
  READ_ONLY: "read_only",
  WRITE_ONLY: "write_only",
  NONE: "none",
} as const;
export type Access = (typeof Access)[keyof typeof Access];

/** `all | none | transport | intelligence | internal`, or comma-separated channel ids. */
export type Visibility = string;
