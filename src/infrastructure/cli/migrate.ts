import { createMigration, migrate } from '../../adapters/persistence/mikro-orm/open-orm.js';
import { hostsOf } from '../../adapters/persistence/mongo/mongo-orm-options.js';
import type { Config } from '../config.js';
import { TOKENS as T } from '../container/tokens.js';
import { loadCliConfig, parseCliArgs, runCli, UsageError, withContainer } from './run-cli.js';

const USAGE = `usage:
  npm run migrate:up                   apply the pending migrations
  npm run migrate:down                 revert the latest migration
  npm run migrate:create [-- <name>]   write a migration from the schema changes
The database is the configured one (with SECRETS_SOURCE=ssm, the stage tree's).`;

type Command = 'up' | 'down' | 'create';

/**
 * `up` applies pending migrations, `down` reverts the latest one, `create` writes a new migration
 * for the configured dialect from the difference between the entity schemas and the last snapshot.
 * MongoDB has no schema migrations: `up` ensures its collections and indexes (as every boot does).
 * The database is opened by the server's composition root, without its migrate-on-start.
 */
async function main(args: string[]): Promise<void> {
  const [command, name, ...extra] = parseCliArgs(args, {}, true).positionals;
  if (command !== 'up' && command !== 'down' && command !== 'create')
    throw new UsageError(command ? `unknown command '${command}'` : 'no command');
  if (extra.length > 0 || (name !== undefined && command !== 'create'))
    throw new UsageError(`unexpected argument '${extra[0] ?? name}'`);
  const loaded = await loadCliConfig();
  if (loaded.db.driver === 'memory') throw new Error('DB_DRIVER=memory has no migrations');
  if (loaded.db.driver === 'mongo' && command !== 'up')
    throw new Error(`DB_DRIVER=mongo has no migrations to ${command}: \`up\` ensures the collections and indexes`);
  const config: Config = { ...loaded, db: { ...loaded.db, migrateOnStart: false } };
  const started = performance.now();
  const summary = await withContainer(config, async (container) => {
    const orm = await container.getAsync(T.Orm);
    return config.db.driver === 'mongo' ? 'collections and indexes ensured' : await run(command, orm, name);
  });
  console.log(`${config.db.driver} ${target(config.db)}: ${summary} in ${Math.round(performance.now() - started)} ms`);
}

async function run(command: Command, orm: Parameters<typeof migrate>[0], name?: string): Promise<string> {
  if (command === 'create') {
    const file = await createMigration(orm, name);
    console.log(file ? `created ${file}` : 'no schema changes: nothing to create');
  } else {
    const ran = await migrate(orm, command);
    const verb = command === 'up' ? 'applied' : 'reverted';
    console.log(
      ran.length ? ran.map((m) => `${verb} ${m}`).join('\n') : `nothing to ${command === 'up' ? 'apply' : 'revert'}`,
    );
  }
  return 'done';
}

function target(db: Config['db']): string {
  if (db.driver === 'mongo') return hostsOf(db.mongoUrl ?? '');
  return db.driver === 'sqlite' ? db.sqlitePath : `${db.host}:${db.port}/${db.name}`;
}

runCli(USAGE, main);
