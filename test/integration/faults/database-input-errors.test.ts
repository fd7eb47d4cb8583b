import { expect } from 'chai';
import { MikroOrmUserStore } from '../../../src/adapters/persistence/mikro-orm/mikro-orm-user-store.js';
import { aUser } from '../../support/builders.js';
import { rejectionOf } from '../../support/rejection.js';
import { useMigratedPostgres } from '../../support/sql.js';

describe('MikroOrmUserStore on PostgreSQL given a value the database cannot hold', function () {
  this.timeout(30_000);
  const orm = useMigratedPostgres();

  it('rejects a name with a NUL byte as invalid input, not as an outage, and stays usable', async () => {
    const store = new MikroOrmUserStore(orm());
    const error = await rejectionOf(store.create(aUser({ name: 'a\u0000b' })));
    expect(error.code).to.equal('REQUEST.INVALID');
    // The SQLSTATE PostgreSQL answered stays on the cause, for the log.
    expect((error.cause as { code?: string }).code).to.match(/^(08P01|22021|22P05)$/);
    const user = aUser();
    await store.create(user);
    expect((await store.findById(user.id))?.email).to.equal(user.email);
  });

  it('rejects an email with a NUL byte on lookup as invalid input, not as an outage', async () => {
    const error = await rejectionOf(new MikroOrmUserStore(orm()).findByEmail('a\u0000b@example.com'));
    expect(error.code).to.equal('REQUEST.INVALID');
  });
});
