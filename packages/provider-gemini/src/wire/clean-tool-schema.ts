import type { JsonSchema } from "@roomkit/spec";

/** The fields of Gemini's `Schema` (an OpenAPI subset). Anything else makes the server close with 1007. */
const GEMINI_SCHEMA_FIELDS = new Set([
  "type",
  "format",
  "description",
  "nullable",
  "enum",
  "maxItems",
  "minItems",
  "properties",
  "required",
  "minProperties",
  "maxProperties",
  "minLength",
  "maxLength",
  "pattern",
  "example",
  "anyOf",
  "propertyOrdering",
  "items",
  "minimum",
  "maximum",
]);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isNullSchema(value: unknown): boolean {
  return isObject(value) && value.type === "null";
}

/**
 * Turns a user's JSON Schema into Gemini's `Schema`: `anyOf`/`oneOf` `[X, null]` and `type: [X, "null"]` fold to
 * `X` + `nullable: true`; `const` becomes a one-value `enum`; single-entry `allOf` is merged; `$schema`,
 * `additionalProperties`, `default`, `title` and every other field Gemini does not know are stripped; type names
 * are upper-cased (`OBJECT`, `STRING`). Pure; never mutates its input.
 */
export function cleanToolSchema(schema: unknown): JsonSchema {
  if (!isObject(schema)) return {};
  let source: Record<string, unknown> = schema;
  const allOf = source.allOf;
  if (Array.isArray(allOf) && allOf.length === 1 && isObject(allOf[0])) {
    const { allOf: _ignored, ...rest } = source;
    source = { ...rest, ...allOf[0] };
  }
  const result: JsonSchema = {};
  const union = (source.anyOf ?? source.oneOf) as unknown;
  if (Array.isArray(union)) {
    const options = union.filter((option) => !isNullSchema(option));
    const nullable = options.length < union.length;
    if (options.length === 1) {
      Object.assign(result, cleanToolSchema(options[0]));
    } else if (options.length > 1) {
      result.anyOf = options.map((option) => cleanToolSchema(option));
    }
    if (nullable) result.nullable = true;
  }
  for (const [key, value] of Object.entries(source)) {
    if (value === undefined || key === "anyOf" || key === "oneOf") continue;
    if (key === "type") {
      Object.assign(result, cleanType(value));
    } else if (key === "const") {
      result.enum = [String(value)];
    } else if (key === "properties" && isObject(value)) {
      const properties: Record<string, JsonSchema> = {};
      for (const [name, child] of Object.entries(value)) properties[name] = cleanToolSchema(child);
      result.properties = properties;
    } else if (key === "items") {
      result.items = cleanToolSchema(Array.isArray(value) ? value[0] : value);
    } else if (key === "enum" && Array.isArray(value)) {
      const values = value.filter((item) => item !== null);
      result.enum = values.map((item) => String(item));
      if (values.length < value.length) result.nullable = true;
    } else if (GEMINI_SCHEMA_FIELDS.has(key) && !(key in result)) {
      result[key] = value;
    }
  }
  if (result.enum !== undefined && result.type === undefined) result.type = "STRING";
  return result;
}

function cleanType(value: unknown): JsonSchema {
  if (typeof value === "string") {
    return value === "null" ? { nullable: true } : { type: value.toUpperCase() };
  }
  if (!Array.isArray(value)) return {};
  const types = value.filter((type): type is string => typeof type === "string" && type !== "null");
  const nullable = types.length < value.length ? { nullable: true } : {};
  if (types.length === 1) return { type: types[0]!.toUpperCase(), ...nullable };
  if (types.length === 0) return nullable;
  return { anyOf: types.map((type) => ({ type: type.toUpperCase() })), ...nullable };
}
