import { createMigration, migrate, openOrm } from '../../adapters/persistence/mikro-orm/open-orm.js';
import { parseConfig, readEnv } from '../config.js';

const USAGE = 'usage: migrate up | down | create [name]';

/**
 * `up` applies pending migrations, `down` reverts the latest one, `create` writes a new migration
 * for the configured dialect from the difference between the entity schemas and the last snapshot.
 */
async function main(command: string | undefined, name: string | undefined): Promise<void> {
  if (command !== 'up' && command !== 'down' && command !== 'create') throw new Error(USAGE);
  const config = parseConfig(readEnv());
  if (config.db.driver === 'memory') throw new Error('DB_DRIVER=memory has no migrations');
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

main(process.argv[2], process.argv[3]).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
