import { InvalidArgumentError } from "@roomkit/spec";
import type { z } from "zod";

/**
 * Validates user input with a zod schema. Failure throws `InvalidArgumentError` whose message names the field,
 * e.g. `attachChannel options.access: Invalid option: expected one of ...`.
 */
export function parseOptions<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  label: string,
): z.output<Schema> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue && issue.path.length > 0 ? `.${issue.path.map(String).join(".")}` : "";
  throw new InvalidArgumentError({
    message: `${label}${path}: ${issue?.message ?? "invalid value"}`,
    cause: parsed.error,
  });
}
