import type { SecretStore } from '../../domain/ports/secret-store.js';

/** Secrets held in memory; tests change them between loads to play a rotation. */
export class InMemorySecretStore implements SecretStore {
  private readonly values: Map<string, string>;

  constructor(initial: Record<string, string> = {}) {
    this.values = new Map(Object.entries(initial));
  }

  async load(): Promise<Record<string, string>> {
    return Object.fromEntries(this.values);
  }

  set(name: string, value: string): void {
    this.values.set(name, value);
  }

  delete(name: string): void {
    this.values.delete(name);
  }
}
