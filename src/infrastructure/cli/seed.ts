import { randomBytes } from 'node:crypto';
import pMap from 'p-map';
import { EnsureAdmin } from '../../application/auth/ensure-admin.js';
import { DomainError } from '../../domain/errors.js';
import { Password } from '../../domain/user/password.js';
import { TOKENS as T } from '../container/tokens.js';
import { fakeUsers } from './fake-users.js';
import { loadCliConfig, parseCliArgs, runCli, UsageError, withContainer } from './run-cli.js';

const USAGE = `usage: npm run seed [-- --users <N>]   (N a whole number, default 100)
Fake users (one shared password, printed) plus ADMIN_EMAIL if set, in the configured database
(with SECRETS_SOURCE=ssm, the stage tree's). Refuses NODE_ENV=production.`;

/** `npm run seed -- --users 1000`: fake users through the UserStore port, plus ADMIN_EMAIL if set. */
async function main(args: string[]): Promise<void> {
  const { values } = parseCliArgs(args, { users: { type: 'string', default: '100' } });
  const count = Number(values.users);
  if (!/^\d+$/.test(values.users) || !Number.isSafeInteger(count))
    throw new UsageError(`--users must be a whole number, not '${values.users}'`);
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
    let created = 0;
    let taken = 0;
    await pMap(
      fakeUsers(count, hash),
      async (user) => {
        try {
          await store.create(user);
          created += 1;
        } catch (error) {
          // A re-run can draw an email an earlier run already used; that user is simply skipped.
          if (!(error instanceof DomainError && error.code === 'USER.EMAIL_TAKEN')) throw error;
          taken += 1;
        }
      },
      { concurrency: config.db.pool.max },
    );
    const ms = Math.round(performance.now() - started);
    console.log(`${config.db.driver}: created ${created} users (${taken} skipped, email taken) in ${ms} ms`);
    console.log(`every seeded user's password: ${password}`);
    if (config.admin)
      console.log(
        `admin ${config.admin.email}: ${await (await container.getAsync(EnsureAdmin)).execute(config.admin)}`,
      );
  });
}

runCli(USAGE, main);
