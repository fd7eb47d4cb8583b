import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Container } from 'inversify';
import type { Config } from '../config.js';
import { buildContainer, closeContainer } from '../container/build-container.js';
import { loadConfig } from '../load-config.js';
import { createLogger } from '../logging.js';

/** Arguments the CLI cannot take: it prints the reason and its usage on stderr and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** `--help` or `-h` anywhere before a `--`. */
export function wantsHelp(args: string[]): boolean {
  const end = args.indexOf('--');
  return (end < 0 ? args : args.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
}

/** node:util parseArgs, strict: an unknown option, a missing value or a stray argument is a UsageError. */
export function parseCliArgs<T extends Options, P extends boolean = false>(
  args: string[],
  options: T,
  allowPositionals?: P,
) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (error) {
    if (error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS_'))
      throw new UsageError(error.message);
    throw error;
  }
}

/**
 * The config exactly as the server loads it (SECRETS_SOURCE=ssm reads the stage tree); the secret
 * store's warnings go to stderr, by message only.
 */
export async function loadCliConfig(): Promise<Config> {
  const { config } = await loadConfig({ info: () => undefined, warn: (_details, message) => console.error(message) });
  return config;
}

/**
 * The server's composition root, for a CLI: what `use` resolves opens as the server would open it,
 * and is closed when `use` settles. Warnings go to stderr as log lines.
 */
export async function withContainer<T>(config: Config, use: (container: Container) => Promise<T>): Promise<T> {
  const container = await buildContainer(config, createLogger('warn', process.stderr));
  try {
    return await use(container);
  } finally {
    await closeContainer(container);
  }
}

/**
 * Runs a CLI's `main` on the process arguments: `--help`/`-h` prints the usage on stdout (exit 0),
 * a UsageError prints it on stderr (exit 2), any other failure its message (exit 1).
 */
export function runCli(usage: string, main: (args: string[]) => Promise<void>, args = process.argv.slice(2)): void {
  if (wantsHelp(args)) {
    console.log(usage);
    return;
  }
  main(args).catch((error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n${usage}`);
      process.exitCode = 2;
      return;
    }
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
