import { RoomKitConfigError } from "../errors/roomkit-config-error.ts";

/**
 * The Standard Schema interface (https://standardschema.dev), which zod 4, valibot and arktype implement. Spec
 * stays dependency-free: packages bring their own schema library and validate through `parseOptions`.
 */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly "~standard": {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (value: unknown) => StandardSchemaResult<Output> | Promise<StandardSchemaResult<Output>>;
    readonly types?: { readonly input: Input; readonly output: Output } | undefined;
  };
}

export type StandardSchemaResult<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | { readonly issues: readonly StandardSchemaIssue[] };

export interface StandardSchemaIssue {
  readonly message: string;
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
}

export type StandardSchemaOutput<Schema> = Schema extends StandardSchemaV1<unknown, infer Output> ? Output : never;

/** `a.b[2].c` from a Standard Schema issue path. */
export function formatIssuePath(path: StandardSchemaIssue["path"]): string {
  let text = "";
  for (const segment of path ?? []) {
    const key = typeof segment === "object" && segment !== null ? segment.key : segment;
    if (typeof key === "number") text += `[${key}]`;
    else text += text === "" ? String(key) : `.${String(key)}`;
  }
  return text;
}

/**
 * Validates a public constructor's or function's options. Returns the parsed value; on failure throws
 * `RoomKitConfigError` naming the component, the first bad field and the problem (zod's messages list the
 * accepted values of enums and literals; `accepted` adds a hint per field when the schema's message cannot).
 */
export function parseOptions<Schema extends StandardSchemaV1>(
  component: string,
  schema: Schema,
  value: unknown,
  accepted: Readonly<Record<string, string>> = {},
): StandardSchemaOutput<Schema> {
  const result = schema["~standard"].validate(value);
  if (result instanceof Promise) {
    throw new TypeError(`${component}: options schemas must validate synchronously`);
  }
  if (!result.issues) return result.value as StandardSchemaOutput<Schema>;
  const issue = result.issues[0]!;
  const field = formatIssuePath(issue.path);
  throw new RoomKitConfigError({
    component,
    field,
    problem: issue.message,
    accepted: accepted[field],
    cause: result.issues,
  });
}
