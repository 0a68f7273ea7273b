/** A 32-character lowercase hex id (a UUID v4 without dashes), as the original uses. */
export function createId(): string {
  return crypto.randomUUID().replaceAll("-", "");
}
