import { createMigration, migrate, openOrm } from '../../adapters/persistence/mikro-orm/open-orm.js';
import { hostsOf } from '../../adapters/persistence/mongo/mongo-orm-options.js';
import { openMongo } from '../../adapters/persistence/mongo/open-mongo.js';
import type { Config } from '../config.js';
import { loadCliConfig, parseCliArgs, runCli, UsageError } from './run-cli.js';

const USAGE = `usage:
  npm run migrate:up                   apply the pending migrations
  npm run migrate:down                 revert the latest migration
  npm run migrate:create [-- <name>]   write a migration from the schema changes
The database is the configured one (with SECRETS_SOURCE=ssm, the stage tree's).`;

/**
 * `up` applies pending migrations, `down` reverts the latest one, `create` writes a new migration
 * for the configured dialect from the difference between the entity schemas and the last snapshot.
 * MongoDB has no schema migrations: `up` ensures its collections and indexes (as every boot does).
 */
async function main(args: string[]): Promise<void> {
  const [command, name, ...extra] = parseCliArgs(args, {}, true).positionals;
  if (command !== 'up' && command !== 'down' && command !== 'create') throw new UsageError(command ? `unknown command '${command}'` : 'no command');
  if (extra.length > 0 || (name !== undefined && command !== 'create')) throw new UsageError(`unexpected argument '${extra[0] ?? name}'`);
  const config = await loadCliConfig();
  if (config.db.driver === 'memory') throw new Error('DB_DRIVER=memory has no migrations');
  if (config.db.driver === 'mongo') return ensureMongo(command, config.db);
  const target = config.db.driver === 'sqlite' ? config.db.sqlitePath : `${config.db.host}:${config.db.port}/${config.db.name}`;
  const orm = await openOrm(config.db);
  try {
    const started = performance.now();
    if (command === 'create') {
      const file = await createMigration(orm, name);
      console.log(file ? `created ${file}` : 'no schema changes: nothing to create');
    } else {
      const ran = await migrate(orm, command);
      const verb = command === 'up' ? 'applied' : 'reverted';
      console.log(ran.length ? ran.map((m) => `${verb} ${m}`).join('\n') : `nothing to ${command === 'up' ? 'apply' : 'revert'}`);
    }
    console.log(`${config.db.driver} ${target}: done in ${Math.round(performance.now() - started)} ms`);
  } finally {
    await orm.close(true);
  }
}

async function ensureMongo(command: 'up' | 'down' | 'create', db: Config['db']): Promise<void> {
  if (command !== 'up') throw new Error(`DB_DRIVER=mongo has no migrations to ${command}: \`up\` ensures the collections and indexes`);
  const started = performance.now();
  const orm = await openMongo(db);
  await orm.close(true);
  console.log(`mongo ${hostsOf(db.mongoUrl ?? '')}: collections and indexes ensured in ${Math.round(performance.now() - started)} ms`);
}

runCli(USAGE, main);
