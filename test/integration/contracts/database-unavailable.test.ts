import type { MikroORM } from '@mikro-orm/core';
import { expect } from 'chai';
import { v7 } from 'uuid';
import { MikroOrmAccountTokenStore } from '../../../src/adapters/persistence/mikro-orm/mikro-orm-account-token-store.js';
import { MikroOrmUnitOfWork } from '../../../src/adapters/persistence/mikro-orm/mikro-orm-unit-of-work.js';
import { MikroOrmUserStore } from '../../../src/adapters/persistence/mikro-orm/mikro-orm-user-store.js';
import { databaseHealthCheck, openOrm } from '../../../src/adapters/persistence/mikro-orm/open-orm.js';
import { poolStats } from '../../../src/adapters/persistence/mikro-orm/pool-stats.js';
import { parseConfig } from '../../../src/infrastructure/config.js';
import { anAccountToken } from '../../support/account-tokens.js';
import { aUser } from '../../support/builders.js';
import { rejectionOf } from '../../support/rejection.js';
import { useMigratedPostgres } from '../../support/sql.js';

describe('MikroOrmUserStore when the database is unavailable', () => {
  describe('with nothing listening on the port', () => {
    let orm: MikroORM;
    before(async () => {
      orm = await openOrm(parseConfig({ DB_DRIVER: 'postgres', DB_PORT: '1', DB_POOL_ACQUIRE_TIMEOUT_MS: '500' }).db);
    });
    after(() => orm.close(true));

    it('boots anyway, and every operation answers DB.UNAVAILABLE with the driver error kept as cause', async () => {
      const store = new MikroOrmUserStore(orm);
      const errors = await Promise.all([
        rejectionOf(store.findById(v7())),
        rejectionOf(store.create(aUser())),
        rejectionOf(store.list({ limit: 1 })),
      ]);
      expect(errors.map((e) => e.code)).to.deep.equal(Array(3).fill('DB.UNAVAILABLE'));
      expect((errors[0]!.cause as { code?: string }).code).to.equal('ECONNREFUSED');
    });

    it('answers DB.UNAVAILABLE for every account token operation and for a unit of work', async () => {
      const tokens = new MikroOrmAccountTokenStore(orm);
      const errors = await Promise.all([
        rejectionOf(tokens.insert(anAccountToken(v7()))),
        rejectionOf(tokens.findByDigest('digest')),
        rejectionOf(tokens.consume(v7())),
        rejectionOf(tokens.revokeAll(v7(), 'verify-email')),
        rejectionOf(tokens.deleteExpired(new Date())),
        rejectionOf(new MikroOrmUnitOfWork(orm).run(() => tokens.findByDigest('digest'))),
      ]);
      expect(errors.map((e) => e.code)).to.deep.equal(Array(6).fill('DB.UNAVAILABLE'));
    });

    it('fails the readiness check with DB.UNAVAILABLE', async () => {
      expect((await rejectionOf(databaseHealthCheck(orm).check())).code).to.equal('DB.UNAVAILABLE');
    });
  });

  describe('with every pooled connection busy', () => {
    const busy = useMigratedPostgres({ max: 1, acquireTimeoutMs: 300 });

    it('gives up after the acquire timeout with DB.UNAVAILABLE instead of queueing for a minute', async () => {
      const hold = busy().em.fork().getConnection().execute('select pg_sleep(1.5)');
      // Only once the sleeper holds the one connection is every pooled connection busy.
      while (poolStats(busy())()?.used !== 1) await new Promise((r) => setTimeout(r, 5));
      const started = performance.now();
      const error = await rejectionOf(new MikroOrmUserStore(busy()).findById(v7()));
      const waited = performance.now() - started;
      await hold;
      expect(error.code).to.equal('DB.UNAVAILABLE');
      expect(waited).to.be.within(250, 1_200);
    });

    it('passes the readiness check once a connection is free again', async () => {
      await databaseHealthCheck(busy()).check();
    });
  });
});
