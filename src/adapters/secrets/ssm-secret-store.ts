import { paginateGetParametersByPath, SSMClient } from '@aws-sdk/client-ssm';
import type { SecretStore } from '../../domain/ports/secret-store.js';

export interface SsmClientOptions {
  /** Absent: the SDK's own chain (AWS_REGION, profile). Credentials and AWS_ENDPOINT_URL_SSM come from the SDK's chain too. */
  region?: string;
  /** Attempts per call, the first included; throttling and transient errors are retried with jittered backoff. */
  maxAttempts?: number;
  /** Per attempt, connecting included; a timed-out attempt is retried like any transient error. */
  timeoutMs?: number;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

/** A GetParametersByPath page takes well under a second; five attempts of this stay under half a minute. */
export const DEFAULT_TIMEOUT_MS = 5_000;

/** One client per process: it holds the connection pool and the retry quota. */
export function createSsmClient(options: SsmClientOptions = {}): SSMClient {
  const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return new SSMClient({
    ...(options.region ? { region: options.region } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    maxAttempts: options.maxAttempts ?? 5,
    retryMode: 'standard',
    // Left to the SDK, an attempt may sit 15 minutes on a silent endpoint, and the boot with it.
    requestHandler: { connectionTimeout: timeout, requestTimeout: timeout, throwOnRequestTimeout: true },
  });
}

/** Thrown when the stage tree cannot be read at all; names the path and the AWS error, never a value. */
export class SecretStoreUnavailableError extends Error {
  constructor(path: string, cause: unknown) {
    super(`cannot read SSM parameters under ${path}: ${reasonOf(cause)}`, { cause });
    this.name = 'SecretStoreUnavailableError';
  }
}

/** AWS's own text says which principal was denied what; a read request carries no value it could echo. */
function reasonOf(cause: unknown): string {
  if (!(cause instanceof Error)) return 'unknown error';
  const code = (cause as { code?: unknown }).code;
  if (typeof code === 'string') return `${cause.name} ${code}`;
  return cause.message && cause.message !== cause.name ? `${cause.name}: ${cause.message}` : cause.name;
}

/** A stage's whole tree (`/dev/DB_HOST` -> `DB_HOST`), decrypted, every page of it. */
export class SsmSecretStore implements SecretStore {
  private readonly prefix: string;

  constructor(
    private readonly client: SSMClient,
    prefix: string,
  ) {
    this.prefix = prefix.endsWith('/') ? prefix : `${prefix}/`;
  }

  async load(): Promise<Record<string, string>> {
    // SSM wants the hierarchy without its trailing slash, except for the root itself.
    const path = this.prefix === '/' ? '/' : this.prefix.slice(0, -1);
    const values: Record<string, string> = {};
    try {
      // A server that hands back the token it was given would otherwise hold the boot forever.
      const pages = paginateGetParametersByPath(
        { client: this.client, stopOnSameToken: true },
        { Path: path, Recursive: true, WithDecryption: true },
      );
      for await (const page of pages) {
        for (const { Name, Value } of page.Parameters ?? []) {
          if (Name?.startsWith(this.prefix) && Value !== undefined) values[Name.slice(this.prefix.length)] = Value;
        }
      }
    } catch (error) {
      throw new SecretStoreUnavailableError(this.prefix, error);
    }
    return values;
  }
}
