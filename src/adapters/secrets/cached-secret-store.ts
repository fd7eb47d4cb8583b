import type { Clock } from '../../domain/ports/clock.js';
import type { SecretStore } from '../../domain/ports/secret-store.js';

export type Secrets = Readonly<Record<string, string>>;
/** Told which names changed (never their values) after a refresh that changed something. */
export type SecretsListener = (values: Secrets, changed: string[]) => Promise<void> | void;

export interface SecretsLog {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

export interface CachedSecretStoreOptions {
  ttlSeconds: number;
  clock: Clock;
  log: SecretsLog;
}

/**
 * Keeps the last good secrets for `ttlSeconds`. The first load must succeed (boot fails otherwise);
 * after that an outage only logs a warning and the last good values stay in use.
 */
export class CachedSecretStore implements SecretStore {
  private values?: Secrets;
  private loadedAt = 0;
  private inFlight?: Promise<Secrets>;
  private readonly listeners: SecretsListener[] = [];
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly inner: SecretStore,
    private readonly options: CachedSecretStoreOptions,
  ) {}

  async load(): Promise<Record<string, string>> {
    const fresh = this.values && this.now() - this.loadedAt < this.options.ttlSeconds * 1000;
    return { ...(fresh && this.values ? this.values : await this.refresh()) };
  }

  /** Reads the source now; concurrent callers share one read. */
  refresh(): Promise<Secrets> {
    this.inFlight ??= this.read().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  onChange(listener: SecretsListener): void {
    this.listeners.push(listener);
  }

  /** Refreshes every TTL in the background; the timer never keeps the process alive. */
  startRefreshing(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.refresh().catch(() => undefined), this.options.ttlSeconds * 1000);
    this.timer.unref();
  }

  stopRefreshing(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async read(): Promise<Secrets> {
    const previous = this.values;
    let next: Secrets;
    try {
      next = Object.freeze({ ...(await this.inner.load()) });
    } catch (error) {
      if (!previous) throw error;
      this.loadedAt = this.now();
      this.options.log.warn({ reason: reasonOf(error) }, 'secrets refresh failed: keeping the last good values');
      return previous;
    }
    this.values = next;
    this.loadedAt = this.now();
    const changed = previous ? changedNames(previous, next) : [];
    if (changed.length > 0) await this.notify(next, changed);
    return next;
  }

  private async notify(values: Secrets, changed: string[]): Promise<void> {
    this.options.log.info({ changed }, 'secrets changed');
    for (const listener of this.listeners) {
      await Promise.resolve()
        .then(() => listener(values, changed))
        .catch((error: unknown) =>
          this.options.log.warn({ changed, reason: reasonOf(error) }, 'could not apply changed secrets'),
        );
    }
  }

  private now(): number {
    return this.options.clock.now().getTime();
  }
}

function changedNames(before: Secrets, after: Secrets): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((name) => before[name] !== after[name]).sort();
}

const reasonOf = (error: unknown) => (error instanceof Error ? error.message : 'unknown error');
