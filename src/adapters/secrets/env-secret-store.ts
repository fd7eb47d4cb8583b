import type { SecretStore } from '../../domain/ports/secret-store.js';

/** Secrets from the process environment, handed in by config: this adapter never reads the environment itself. */
export class EnvSecretStore implements SecretStore {
  constructor(private readonly env: Record<string, string | undefined>) {}

  async load(): Promise<Record<string, string>> {
    return Object.fromEntries(
      Object.entries(this.env).filter((entry): entry is [string, string] => entry[1] !== undefined),
    );
  }
}
