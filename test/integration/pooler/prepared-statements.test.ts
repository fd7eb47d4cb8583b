import { expect } from 'chai';
import type { MikroORM } from '@mikro-orm/core';
import { migrate, openOrm } from '../../../src/adapters/persistence/mikro-orm/open-orm.js';
import { MikroOrmUserStore } from '../../../src/adapters/persistence/mikro-orm/mikro-orm-user-store.js';
import type { User } from '../../../src/domain/user/user.js';
import { aUser } from '../../support/builders.js';
import { send } from '../../support/http-client.js';
import { PORTICO_ADMIN, startPortico } from '../../support/portico.js';
import {
  createTestDatabase,
  postgresEnv,
  requirePgBouncer,
  requirePostgres,
  viaPgBouncer,
  type TestDatabase,
} from '../../support/postgres.js';

// PgBouncer lends each client at most default_pool_size (4, npm run services) server sessions; a
// burst on the app's pool of 10 makes more client connections than that prepare the same statement.
const BURST = 40;
const UNKEPT = /DB_PREPARED_STATEMENTS=false/;

/** DB_PREPARED_STATEMENTS behind PgBouncer 1.18 in transaction mode, which keeps no prepared statement per client. */
describe('DB_PREPARED_STATEMENTS behind PgBouncer 1.18 (pool_mode = transaction)', function () {
  this.timeout(30_000);
  let database: TestDatabase;
  let bouncer: { host: string; port: number };
  let users: User[];

  before(async function () {
    await requirePostgres(this);
    bouncer = await requirePgBouncer(this);
    database = await createTestDatabase();
    const orm = await openOrm(database.db);
    await migrate(orm, 'up');
    users = [aUser(), aUser(), aUser()];
    for (const user of users) await new MikroOrmUserStore(orm).create(user);
    await orm.close(true);
  });
  after(async () => await database?.drop());

  const burstOfLookups = async (preparedStatements: boolean) => {
    const orm: MikroORM = await openOrm({ ...viaPgBouncer(database, bouncer).db, preparedStatements });
    try {
      const store = new MikroOrmUserStore(orm);
      const asked = Array.from({ length: BURST }, (_, i) => users[i % users.length]!);
      const answers = await Promise.allSettled(asked.map((u) => store.findById(u.id)));
      return answers.map((answer, i) => ({ asked: asked[i]!, answer }));
    } finally {
      await orm.close(true);
    }
  };

  it('false: every lookup of a burst answers its own user', async () => {
    const results = await burstOfLookups(false);
    for (const { asked, answer } of results) {
      expect(answer.status, String((answer as PromiseRejectedResult).reason)).to.equal('fulfilled');
      expect((answer as PromiseFulfilledResult<User | null>).value?.id).to.equal(asked.id);
    }
  });

  it('true: lookups fail with an error naming DB_PREPARED_STATEMENTS, and none answers another user', async () => {
    const results = await burstOfLookups(true);
    const failures = results.flatMap(({ answer }) => (answer.status === 'rejected' ? [answer.reason as Error] : []));
    expect(failures, 'no lookup failed').to.not.be.empty;
    for (const failure of failures) {
      expect(failure.name).to.equal('PreparedStatementsUnkept');
      expect(failure.message).to.match(UNKEPT);
    }
    for (const { asked, answer } of results) {
      if (answer.status === 'fulfilled') expect(answer.value?.id).to.equal(asked.id);
    }
  });

  it('true, the whole app: a burst of logins gets 500s (never another account) and the log names the setting', async () => {
    const app = await startPortico({
      ...postgresEnv(database, bouncer),
      DB_POOLER: 'transaction',
      DB_PREPARED_STATEMENTS: 'true',
    });
    try {
      const credentials = { email: PORTICO_ADMIN.email, password: PORTICO_ADMIN.password };
      const answers = await Promise.all(
        Array.from({ length: BURST }, () => send(app, 'POST', '/v1/auth/login', { json: credentials })),
      );
      const statuses = answers.map((a) => a.status);
      expect(statuses, statuses.join(' ')).to.include(500);
      for (const ok of answers.filter((a) => a.status === 200)) {
        expect(ok.body.user?.email ?? PORTICO_ADMIN.email).to.equal(PORTICO_ADMIN.email);
      }
      for (const failed of answers.filter((a) => a.status === 500)) expect(failed.text).to.not.match(UNKEPT);
      expect(app.logs.join('')).to.match(/PreparedStatementsUnkept: prepared statement portico_\w+ was/);
      expect(app.logs.join('')).to.match(UNKEPT);
    } finally {
      await app.stop();
    }
  });
});
