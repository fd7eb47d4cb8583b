import { randomBytes } from 'node:crypto';
import { EnsureAdmin } from '../../application/auth/ensure-admin.js';
import { Password } from '../../domain/user/password.js';
import { TOKENS as T } from '../container/tokens.js';
import { fakeUsers } from './fake-users.js';
import { seedUsers } from './seed-users.js';
import { loadCliConfig, parseCliArgs, runCli, UsageError, withContainer } from './run-cli.js';

/** SQLite binds at most 32,766 parameters per statement; a user is 12 columns. */
const MAX_BATCH = 2_000;
/** Batches in flight: enough to overlap generating one with inserting others, no more (two cores here). */
const CONCURRENCY = 4;

const USAGE = `usage: npm run seed [-- --users <N>] [--batch <N>]
Fake users (one shared password, printed) plus ADMIN_EMAIL if set, in the configured database
(with SECRETS_SOURCE=ssm, the stage tree's). Refuses NODE_ENV=production.
  --users <N>   how many (default 100)
  --batch <N>   users per INSERT, 1..${MAX_BATCH} (default 1000); a batch holding a taken email is
                retried one user at a time, and those users are skipped`;

function wholeNumber(name: string, value: string, { min = 0, max = Number.MAX_SAFE_INTEGER } = {}): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n))
    throw new UsageError(`--${name} must be a whole number, not '${value}'`);
  if (n < min || n > max) throw new UsageError(`--${name} must be from ${min} to ${max}, not ${n}`);
  return n;
}

/** `npm run seed -- --users 1000000`: fake users through the UserStore port in batches, plus ADMIN_EMAIL if set. */
async function main(args: string[]): Promise<void> {
  const { values } = parseCliArgs(args, {
    users: { type: 'string', default: '100' },
    batch: { type: 'string', default: '1000' },
  });
  const count = wholeNumber('users', values.users);
  const batch = wholeNumber('batch', values.batch, { min: 1, max: MAX_BATCH });
  const config = await loadCliConfig();
  // Every seeded account shares a password printed to the terminal: never in production.
  if (config.env === 'production') throw new Error('refusing to seed with NODE_ENV=production');
  if (config.db.driver === 'memory') console.log('DB_DRIVER=memory: nothing outlives this process');
  await withContainer(config, async (container) => {
    // Opened as the server opens it (Mongo ensures the unique email before the first insert).
    const store = await container.getAsync(T.UserStore);
    const hasher = await container.getAsync(T.PasswordHasher);
    const password = randomBytes(12).toString('base64url');
    const started = performance.now();
    const hash = await hasher.hash(Password.parse(password).value);
    const { created, taken } = await seedUsers(store, fakeUsers(count, hash), {
      batch,
      concurrency: Math.min(CONCURRENCY, config.db.pool.max),
    });
    const ms = Math.max(1, Math.round(performance.now() - started));
    console.log(
      `${config.db.driver}: created ${created} users (${taken} skipped, email taken) in ${ms} ms, ` +
        `${Math.round((created / ms) * 1000)} users/s (batches of ${batch})`,
    );
    console.log(`every seeded user's password: ${password}`);
    if (config.admin)
      console.log(
        `admin ${config.admin.email}: ${await (await container.getAsync(EnsureAdmin)).execute(config.admin)}`,
      );
  });
}

runCli(USAGE, main);
