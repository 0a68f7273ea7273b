import { InvalidArgumentError } from "@roomkit/spec";

export type ProviderChoice = "openai" | "gemini" | "offline" | "offline-gemini";

const PROVIDER_CHOICES: readonly string[] = ["openai", "gemini", "offline", "offline-gemini"];

export interface DemoCliOptions {
  port: number;
  hostname: string;
  provider: ProviderChoice;
  /** SQLite file for timelines. */
  databasePath: string;
}

/**
 * `--port N` / `PORT`, `--host H`, `--provider openai|gemini|offline|offline-gemini`, `--db path`.
 * Provider: forced by `--provider`, else OpenAI when `OPENAI_API_KEY` is set, else Gemini when `GEMINI_API_KEY`
 * (or `GOOGLE_API_KEY`) is set, else the offline fake.
 */
export function parseDemoOptions(argv: readonly string[], env: Record<string, string | undefined>): DemoCliOptions {
  const flags = new Map<string, string>();
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index]!;
    if (!argument.startsWith("--")) continue;
    const [name, inline] = argument.slice(2).split("=", 2) as [string, string | undefined];
    const value = inline ?? argv[index + 1];
    if (value === undefined || (inline === undefined && value.startsWith("--"))) {
      throw new InvalidArgumentError(`--${name} needs a value`);
    }
    if (inline === undefined) index++;
    flags.set(name, value);
  }
  const portText = flags.get("port") ?? env.PORT ?? "3000";
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidArgumentError(`port must be an integer in 0..65535, got ${portText}`);
  }
  const forced = flags.get("provider");
  let provider: ProviderChoice;
  if (forced !== undefined) {
    if (!PROVIDER_CHOICES.includes(forced)) {
      throw new InvalidArgumentError(`--provider must be one of ${PROVIDER_CHOICES.join(", ")}, got ${forced}`);
    }
    provider = forced as ProviderChoice;
  } else if (env.OPENAI_API_KEY) {
    provider = "openai";
  } else if (env.GEMINI_API_KEY || env.GOOGLE_API_KEY) {
    provider = "gemini";
  } else {
    provider = "offline";
  }
  return {
    port,
    hostname: flags.get("host") ?? env.HOST ?? "localhost",
    provider,
    databasePath: flags.get("db") ?? env.DEMO_DB ?? "./data/demo.sqlite",
  };
}
