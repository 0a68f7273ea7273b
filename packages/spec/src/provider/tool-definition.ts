/** A JSON Schema object, as written by users and sent to providers. */
export type JsonSchema = { [key: string]: unknown };

/** A function tool the model may call, in the seed's shape (`type` optional). */
export interface ToolDefinition {
  type?: "function";
  name: string;
  description?: string;
  parameters?: JsonSchema;
}

/** Arguments of a tool call. Unparseable JSON from the provider arrives as `{ raw: "<text>" }`. */
export type ToolArguments = Record<string, unknown>;
