import { z } from "zod";

export interface PostgresConversationStoreOptions {
  /** `postgres://user:password@host:port/database` (the password never appears in errors or logs). */
  url: string;
  /** The PostgreSQL schema holding the tables (created if missing). Default `roomkit`. */
  schema?: string;
  /** Pool size. Default 10. */
  maxConnections?: number;
  /** Seconds to wait for a connection. Default 10. */
  connectTimeoutSeconds?: number;
  /** Seconds before an idle pooled connection is closed. Default 60. */
  idleTimeoutSeconds?: number;
  /** Write concurrent appends together in one round trip (group commit). Default true. */
  batchAppends?: boolean;
  /** Most appends in one batch. Default 256. */
  maxBatchSize?: number;
}

export const postgresStoreOptionsSchema = z.object({
  url: z
    .string()
    .min(1)
    .refine((url) => /^postgres(ql)?:\/\//.test(url), "expected a postgres:// or postgresql:// URL"),
  schema: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, "expected a lower-case SQL identifier")
    .optional(),
  maxConnections: z.number().int().min(1).max(1000).optional(),
  connectTimeoutSeconds: z.number().positive().finite().optional(),
  idleTimeoutSeconds: z.number().positive().finite().optional(),
  batchAppends: z.boolean().optional(),
  maxBatchSize: z.number().int().min(1).max(10_000).optional(),
});

export const POSTGRES_STORE_ACCEPTED = {
  "": "an options object with a url",
  url: "postgres://user:password@host:port/database",
  schema: "a lower-case identifier such as roomkit or tenant_1",
  maxConnections: "an integer in [1, 1000]",
  connectTimeoutSeconds: "a positive number of seconds",
  idleTimeoutSeconds: "a positive number of seconds",
  batchAppends: "true or false",
  maxBatchSize: "an integer in [1, 10000]",
} as const;
