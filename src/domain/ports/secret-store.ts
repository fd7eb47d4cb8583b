/** Named secrets for one stage. Values are never logged. */
export interface SecretStore {
  /** All known secrets by name (e.g. DB_PASSWORD, JWT_PRIVATE_KEY). */
  load(): Promise<Record<string, string>>;
}
