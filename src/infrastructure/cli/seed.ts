import { randomBytes } from 'node:crypto';
import pMap from 'p-map';
import { BcryptPasswordHasher } from '../../adapters/auth/bcrypt-password-hasher.js';
import { InMemoryUserStore } from '../../adapters/persistence/in-memory/in-memory-user-store.js';
import { MikroOrmUserStore } from '../../adapters/persistence/mikro-orm/mikro-orm-user-store.js';
import { openOrm } from '../../adapters/persistence/mikro-orm/open-orm.js';
import { MongoUserStore } from '../../adapters/persistence/mongo/mongo-user-store.js';
import { openMongo } from '../../adapters/persistence/mongo/open-mongo.js';
import { SystemClock } from '../../adapters/system/system-clock.js';
import { UuidV7Generator } from '../../adapters/system/uuid-v7-generator.js';
import { EnsureAdmin } from '../../application/auth/ensure-admin.js';
import { RegisterUser } from '../../application/users/register-user.js';
import { DomainError } from '../../domain/errors.js';
import type { UserStore } from '../../domain/ports/user-store.js';
import { Password } from '../../domain/user/password.js';
import type { Config } from '../config.js';
import { fakeUsers } from './fake-users.js';
import { loadCliConfig, parseCliArgs, runCli, UsageError } from './run-cli.js';

const USAGE = `usage: npm run seed [-- --users <N>]   (N a whole number, default 100)
Fake users (one shared password, printed) plus ADMIN_EMAIL if set, in the configured database
(with SECRETS_SOURCE=ssm, the stage tree's). Refuses NODE_ENV=production.`;

/** `npm run seed -- --users 1000`: fake users through the UserStore port, plus ADMIN_EMAIL if set. */
async function main(args: string[]): Promise<void> {
  const { values } = parseCliArgs(args, { users: { type: 'string', default: '100' } });
  const count = Number(values.users);
  if (!/^\d+$/.test(values.users) || !Number.isSafeInteger(count)) throw new UsageError(`--users must be a whole number, not '${values.users}'`);
  const config = await loadCliConfig();
  // Every seeded account shares a password printed to the terminal: never in production.
  if (config.env === 'production') throw new Error('refusing to seed with NODE_ENV=production');
  const { store, close } = await openStore(config);
  try {
    const hasher = new BcryptPasswordHasher(config.bcryptCost);
    const password = randomBytes(12).toString('base64url');
    const started = performance.now();
    const hash = await hasher.hash(Password.parse(password).value);
    let created = 0;
    let taken = 0;
    await pMap(fakeUsers(count, hash), async (user) => {
      try {
        await store.create(user);
        created += 1;
      } catch (error) {
        // A re-run can draw an email an earlier run already used; that user is simply skipped.
        if (!(error instanceof DomainError && error.code === 'USER.EMAIL_TAKEN')) throw error;
        taken += 1;
      }
    }, { concurrency: config.db.pool.max });
    const ms = Math.round(performance.now() - started);
    console.log(`${config.db.driver}: created ${created} users (${taken} skipped, email taken) in ${ms} ms`);
    console.log(`every seeded user's password: ${password}`);
    if (config.admin) {
      const register = new RegisterUser(store, hasher, new UuidV7Generator(), new SystemClock());
      console.log(`admin ${config.admin.email}: ${await new EnsureAdmin(store, register).execute(config.admin)}`);
    }
  } finally {
    await close();
  }
}

async function openStore(config: Config): Promise<{ store: UserStore; close(): Promise<unknown> }> {
  if (config.db.driver === 'memory') {
    console.log('DB_DRIVER=memory: nothing outlives this process');
    return { store: new InMemoryUserStore(), close: async () => {} };
  }
  if (config.db.driver === 'mongo') {
    // Opening ensures the indexes, so the unique email holds before the first insert.
    const orm = await openMongo(config.db);
    return { store: new MongoUserStore(orm), close: () => orm.close(true) };
  }
  const orm = await openOrm(config.db);
  return { store: new MikroOrmUserStore(orm), close: () => orm.close(true) };
}

runCli(USAGE, main);
