import type { JsonSchema } from "@roomkit/spec";

/**
 * Validates tool arguments against the subset of JSON Schema that tool declarations use: type (incl. type lists
 * and `nullable`), properties, required, additionalProperties: false, enum, const, items, min/max, minLength/
 * maxLength, minItems/maxItems, anyOf/oneOf. Returns the first problem, or undefined when valid.
 */
export function validateArguments(schema: JsonSchema | undefined, value: unknown): string | undefined {
  if (!schema || typeof schema !== "object") return undefined;
  return check(schema, value, "arguments", 0);
}

function check(schema: JsonSchema, value: unknown, path: string, depth: number): string | undefined {
  if (depth > 32) return undefined;
  if (value === null && schema.nullable === true) return undefined;
  const types = schema.type === undefined ? undefined : Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types && !types.some((type) => matchesType(String(type), value))) {
    return `${path} must be ${types.join(" or ")}, got ${describe(value)}`;
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((option) => deepEqual(option, value))) {
    return `${path} must be one of ${JSON.stringify(schema.enum)}`;
  }
  if ("const" in schema && !deepEqual(schema.const, value)) return `${path} must be ${JSON.stringify(schema.const)}`;
  const alternatives = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (Array.isArray(alternatives) && alternatives.length > 0) {
    if (!alternatives.some((option) => check(option, value, path, depth + 1) === undefined)) {
      return `${path} matches none of the allowed shapes`;
    }
  }
  if (typeof value === "number") {
    if (typeof schema.minimum === "number" && value < schema.minimum) return `${path} must be ≥ ${schema.minimum}`;
    if (typeof schema.maximum === "number" && value > schema.maximum) return `${path} must be ≤ ${schema.maximum}`;
  }
  if (typeof value === "string") {
    if (typeof schema.minLength === "number" && value.length < schema.minLength) return `${path} is too short`;
    if (typeof schema.maxLength === "number" && value.length > schema.maxLength) return `${path} is too long`;
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === "number" && value.length < schema.minItems) return `${path} has too few items`;
    if (typeof schema.maxItems === "number" && value.length > schema.maxItems) return `${path} has too many items`;
    const items = schema.items as JsonSchema | undefined;
    if (items && typeof items === "object" && !Array.isArray(items)) {
      for (let index = 0; index < value.length; index++) {
        const problem = check(items, value[index], `${path}[${index}]`, depth + 1);
        if (problem) return problem;
      }
    }
  }
  if (isPlainObject(value)) {
    const required = Array.isArray(schema.required) ? (schema.required as unknown[]) : [];
    for (const key of required) {
      if (typeof key === "string" && !(key in value)) return `${path}.${key} is required`;
    }
    const properties = isPlainObject(schema.properties) ? (schema.properties as Record<string, JsonSchema>) : undefined;
    for (const [key, child] of Object.entries(value)) {
      const childSchema = properties?.[key];
      if (childSchema && typeof childSchema === "object") {
        const problem = check(childSchema, child, `${path}.${key}`, depth + 1);
        if (problem) return problem;
      } else if (schema.additionalProperties === false) {
        return `${path}.${key} is not allowed`;
      }
    }
  }
  return undefined;
}

function matchesType(type: string, value: unknown): boolean {
  switch (type) {
    case "object":
      return isPlainObject(value);
    case "array":
      return Array.isArray(value);
    case "string":
      return typeof value === "string";
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "boolean":
      return typeof value === "boolean";
    case "null":
      return value === null;
    default:
      return true;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

function deepEqual(left: unknown, right: unknown): boolean {
  if (left === right) return true;
  if (typeof left !== "object" || typeof right !== "object" || left === null || right === null) return false;
  return JSON.stringify(left) === JSON.stringify(right);
}
