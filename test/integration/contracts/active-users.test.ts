import type { MikroORM } from '@mikro-orm/core';
import type { AbstractSqlConnection } from '@mikro-orm/knex';
import { expect } from 'chai';
import { v7 } from 'uuid';
import { InMemoryRefreshTokenStore } from '../../../src/adapters/persistence/in-memory/in-memory-refresh-token-store.js';
import { InMemoryUserStore } from '../../../src/adapters/persistence/in-memory/in-memory-user-store.js';
import { MikroOrmActiveUsers } from '../../../src/adapters/persistence/mikro-orm/mikro-orm-active-users.js';
import { MikroOrmRefreshTokenStore } from '../../../src/adapters/persistence/mikro-orm/mikro-orm-refresh-token-store.js';
import { MikroOrmUserStore } from '../../../src/adapters/persistence/mikro-orm/mikro-orm-user-store.js';
import { activeUsersFromStores } from '../../../src/application/auth/active-users-from-stores.js';
import { RefreshToken } from '../../../src/domain/session/refresh-token.js';
import { aUser } from '../../support/builders.js';
import { emptyTables, forEachSqlDialect } from '../../support/sql.js';
import { activeUsersContract } from './active-users.contract.js';

activeUsersContract('in memory (from the two stores)', async () => {
  const users = new InMemoryUserStore();
  const sessions = new InMemoryRefreshTokenStore();
  return { lookup: activeUsersFromStores(users, sessions), users, sessions, cleanup: async () => {} };
});

interface PreparedStatementRow {
  name: string;
  statement: string;
  executions: number;
}

/** The statements prepared on the connection the pool lends next (the one just released: tarn lends the last freed first). */
async function preparedOnPooledConnection(orm: MikroORM): Promise<PreparedStatementRow[]> {
  const client = (orm.em.getConnection() as unknown as AbstractSqlConnection).getKnex().client;
  const connection = (await client.acquireConnection()) as {
    query(sql: string): Promise<{ rows: PreparedStatementRow[] }>;
  };
  try {
    const { rows } = await connection.query(
      `select name, statement, (generic_plans + custom_plans)::int as executions from pg_prepared_statements where name like 'portico_%'`,
    );
    return rows;
  } finally {
    await client.releaseConnection(connection);
  }
}

forEachSqlDialect((dialect, orm) => {
  activeUsersContract(`${dialect} (one statement)`, async () => ({
    lookup: new MikroOrmActiveUsers(orm()),
    users: new MikroOrmUserStore(orm()),
    sessions: new MikroOrmRefreshTokenStore(orm()),
    cleanup: () => emptyTables(orm(), 'refresh_tokens', 'users'),
  }));

  if (dialect !== 'PostgreSQL') return;

  // PostgreSQL only: the named prepared statements behind the lookup (user-rows.ts).
  it('prepares the lookup once per connection and then only executes it (a named statement)', async () => {
    const users = new MikroOrmUserStore(orm());
    const user = aUser();
    await users.create(user);
    const token = new RefreshToken(
      v7(),
      v7(),
      user.id,
      v7().replace(/-/g, ''),
      new Date(),
      new Date(Date.now() + 3_600_000),
    );
    await new MikroOrmRefreshTokenStore(orm()).insert(token);
    const lookup = new MikroOrmActiveUsers(orm());
    const sessionLookups = (rows: PreparedStatementRow[]) =>
      rows.filter((p) => p.statement.includes('"refresh_tokens"'));
    // The contract above may have run it on this connection already: count from here.
    const before = sessionLookups(await preparedOnPooledConnection(orm()))[0]?.executions ?? 0;
    for (let i = 0; i < 3; i++) expect((await lookup.find(user.id, token.familyId))?.id).to.equal(user.id);
    const prepared = await preparedOnPooledConnection(orm());
    const active = sessionLookups(prepared);
    expect(active, JSON.stringify(prepared)).to.have.length(1);
    expect(active[0]!.statement).to.include('$2');
    expect(active[0]!.executions - before).to.equal(3);
    await emptyTables(orm(), 'refresh_tokens', 'users');
  });

  it('prepares the lookup again when a migration changed a column type under it', async () => {
    const user = aUser();
    await new MikroOrmUserStore(orm()).create(user);
    const lookup = new MikroOrmActiveUsers(orm());
    expect((await lookup.find(user.id))?.name).to.equal(user.name);
    const connection = orm().em.fork().getConnection();
    // PostgreSQL now refuses the statement prepared above ("cached plan must not change result type").
    await connection.execute('alter table users alter column name type varchar(500)');
    try {
      expect((await lookup.find(user.id))?.name).to.equal(user.name);
      expect((await lookup.find(user.id))?.name).to.equal(user.name);
    } finally {
      await connection.execute('alter table users alter column name type text');
      await emptyTables(orm(), 'users');
    }
  });
});
