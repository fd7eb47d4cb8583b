import { pathToFileURL } from 'node:url';
import { PutParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import {
  createSsmClient,
  SecretStoreUnavailableError,
  SsmSecretStore,
} from '../../adapters/secrets/ssm-secret-store.js';
import { ConfigError, parseSecretSettings, readEnv, type SecretSettings } from '../config.js';
import { requiredSecretNames } from '../load-config.js';
import { parseCliArgs, UsageError, wantsHelp } from './run-cli.js';

const USAGE = `usage:
  npm run secrets -- check [--stage dev|qa|prod] [--prefix /qa/]
  npm run secrets -- put [--stage dev|qa|prod] [--prefix /dev/] NAME    (the value is read from stdin)
check lists the required parameters of a stage's SSM tree as present or MISSING (exit 1 if any is);
put stores a SecureString. Names only are printed, never a value.`;

export interface CliIo {
  stdin: AsyncIterable<Buffer | string>;
  stdinIsTty: boolean;
  out(line: string): void;
  err(line: string): void;
}

/** `check` and `put` against a stage's SSM tree. Prints names, never a value. Resolves to the exit code. */
export async function secretsCli(
  argv: string[],
  env: Record<string, string | undefined>,
  io: CliIo,
  client?: SSMClient,
): Promise<number> {
  if (wantsHelp(argv)) {
    io.out(USAGE);
    return 0;
  }
  let parsed;
  try {
    parsed = parseCliArgs(argv, { stage: { type: 'string' }, prefix: { type: 'string' } }, true);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`${error.message}\n${USAGE}`);
    return 2;
  }
  const { positionals, values } = parsed;
  const [command, name, ...extra] = positionals;
  // An explicit --stage means that stage's tree, whatever SSM_PREFIX the shell carries.
  const settings = parseSecretSettings({
    ...env,
    SECRETS_SOURCE: 'ssm',
    STAGE: values.stage ?? env.STAGE,
    SSM_PREFIX: values.prefix ?? (values.stage ? undefined : env.SSM_PREFIX),
  });
  const ssm = client ?? createSsmClient({ region: settings.region });
  if (command === 'check' && !name) return check(ssm, settings, env, io);
  if (command === 'put' && name && extra.length === 0) return put(ssm, settings, name, io);
  io.err(USAGE);
  return 2;
}

async function check(
  ssm: SSMClient,
  settings: SecretSettings,
  env: Record<string, string | undefined>,
  io: CliIo,
): Promise<number> {
  const tree = await new SsmSecretStore(ssm, settings.prefix).load();
  const driver = tree.DB_DRIVER ?? env.DB_DRIVER ?? 'sqlite';
  const mail = tree.MAIL_DRIVER ?? env.MAIL_DRIVER;
  const required = requiredSecretNames({ ...env, ...tree, DB_DRIVER: driver });
  const missing = required.filter((n) => !tree[n]);
  io.out(`${settings.prefix} (required for DB_DRIVER=${driver}${mail === 'smtp' ? ', MAIL_DRIVER=smtp' : ''})`);
  for (const n of required) io.out(`  ${tree[n] ? 'present' : 'MISSING'}  ${n}`);
  const others = Object.keys(tree)
    .filter((n) => !required.includes(n))
    .sort();
  if (others.length > 0) io.out(`  also present: ${others.join(', ')}`);
  io.out(missing.length > 0 ? `${missing.length} required parameter(s) missing` : 'all required parameters present');
  return missing.length > 0 ? 1 : 0;
}

async function put(ssm: SSMClient, settings: SecretSettings, name: string, io: CliIo): Promise<number> {
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) {
    io.err(`not a parameter name: use letters, digits, "_", "." or "-"`);
    return 2;
  }
  if (io.stdinIsTty) io.err(`value for ${settings.prefix}${name}, then Ctrl-D (piping it in keeps it off the screen):`);
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(Buffer.from(chunk));
  const value = Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
  if (!value) {
    io.err('refusing to store an empty value');
    return 2;
  }
  const stored = await ssm.send(
    new PutParameterCommand({ Name: `${settings.prefix}${name}`, Value: value, Type: 'SecureString', Overwrite: true }),
  );
  io.out(`stored ${settings.prefix}${name} as a SecureString (version ${stored.Version ?? '?'})`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const io: CliIo = {
    stdin: process.stdin,
    stdinIsTty: Boolean(process.stdin.isTTY),
    out: console.log,
    err: console.error,
  };
  process.exitCode = await secretsCli(process.argv.slice(2), readEnv(), io).catch((error: unknown) => {
    console.error(`secrets: ${describe(error)}`);
    return 1;
  });
}

/** Our own errors name settings only; AWS validation messages can quote the input, so only their name is shown. */
function describe(error: unknown): string {
  if (error instanceof ConfigError || error instanceof SecretStoreUnavailableError) return error.message;
  return `failed (${error instanceof Error ? error.name : 'unknown error'})`;
}
