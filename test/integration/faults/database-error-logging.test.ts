import { expect } from 'chai';
import { openOrm } from '../../../src/adapters/persistence/mikro-orm/open-orm.js';
import { SQL_BACKENDS, usePortico } from '../../support/backends.js';
import { expectProblem, newAccount, send } from '../../support/http-client.js';
import type { Portico } from '../../support/portico.js';

/** Every insert into users fails in the database, with the row's values in the driver's error. */
async function refuseUserInserts(app: Portico): Promise<void> {
  const orm = await openOrm(app.config.db);
  try {
    await orm.em.getConnection().execute(
      app.config.db.driver === 'sqlite'
        ? "create trigger refuse_users before insert on users begin select raise(abort, 'refused'); end"
        : // A CHECK violation's detail is "Failing row contains (...)": every value of the row.
          'alter table users add constraint refuse_users check (false) not valid',
    );
  } finally {
    await orm.close(true);
  }
}

for (const backend of SQL_BACKENDS) {
  describe(`the error log when a user write fails in the database (${backend.name})`, function () {
    this.timeout(30_000);
    const app = usePortico(backend, {}, { each: true });

    it('logs the failure by driver class and code, without the email or the password hash', async () => {
      const account = newAccount();
      await refuseUserInserts(app);
      const res = await send(app, 'POST', '/v1/auth/register', { json: account });
      expectProblem(res, 500, 'INTERNAL');

      const failures = app.logs.filter((line) => line.includes('request failed'));
      expect(failures, 'the failure is logged').to.have.length(1);
      const logged = app.logs.join('\n');
      expect(logged).not.to.include(account.email);
      expect(logged).not.to.match(/\$2[aby]\$\d\d\$/);
      expect(logged).not.to.match(/insert into/i);
      expect(logged).to.match(backend.name === 'SQLite' ? /SQLITE_CONSTRAINT/ : /\(23514\)/);
    });
  });
}
