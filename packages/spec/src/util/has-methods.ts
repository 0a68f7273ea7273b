/**
 * Duck-typed check for the objects users pass in (stores, loggers, clocks): an object with each named method. Option
 * schemas in every package use it, so "is this a Logger?" means the same thing everywhere.
 */
export function hasMethods(value: unknown, names: readonly string[]): boolean {
  if (typeof value !== "object" || value === null) return false;
  const record = value as Record<string, unknown>;
  return names.every((name) => typeof record[name] === "function");
}
