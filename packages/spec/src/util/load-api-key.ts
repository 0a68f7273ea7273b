import { LoadApiKeyError } from "../errors/load-api-key-error.ts";

/** An API key, or a (possibly async) function returning one, e.g. from a vault or an ephemeral-token service. */
export type ApiKeySource = string | (() => string | Promise<string>);

export interface LoadApiKeyOptions {
  /** The configured key or key function; `undefined` falls back to the environment. */
  apiKey: ApiKeySource | undefined;
  /** Environment variables tried in order when `apiKey` is undefined, e.g. `["GEMINI_API_KEY", "GOOGLE_API_KEY"]`. */
  environmentVariableNames: readonly string[];
  /** Who needs the key, for error messages, e.g. `"GeminiLiveProvider"`. */
  description: string;
  /** Where the variables are read (default `process.env`). */
  environment?: Readonly<Record<string, string | undefined>>;
}

/**
 * Resolves an API key at connect time (never at import): the string, the function's result, or the first
 * non-empty environment variable. Missing, empty or a failing function ⇒ `LoadApiKeyError`.
 */
export async function loadApiKey(options: LoadApiKeyOptions): Promise<string> {
  const { apiKey, description } = options;
  if (typeof apiKey === "function") {
    let key: unknown;
    try {
      key = await apiKey();
    } catch (error) {
      throw new LoadApiKeyError({ message: `The apiKey function of ${description} failed`, cause: error });
    }
    if (typeof key !== "string" || key.trim() === "") {
      throw new LoadApiKeyError(`The apiKey function of ${description} returned no key`);
    }
    return key;
  }
  if (apiKey !== undefined) {
    if (apiKey.trim() === "") throw new LoadApiKeyError(`The apiKey given to ${description} is empty`);
    return apiKey;
  }
  const environment = options.environment ?? (typeof process === "undefined" ? {} : process.env);
  for (const name of options.environmentVariableNames) {
    const value = environment[name];
    if (value !== undefined && value.trim() !== "") return value;
  }
  const names = options.environmentVariableNames.join(" or ");
  throw new LoadApiKeyError(
    `${description}: API key missing; pass \`apiKey\`${names ? ` or set the ${names} environment variable` : ""}`,
  );
}
