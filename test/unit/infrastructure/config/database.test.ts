import { expect } from 'chai';
import { parseConfig } from '../../../../src/infrastructure/config.js';
import { configErrorOf, namesRefused } from '../../../support/config-error-of.js';

describe('database settings', () => {
  it('read the pool bounds, and refuse a minimum above the maximum', () => {
    const config = parseConfig({
      DB_POOL_MIN: '1',
      DB_POOL_MAX: '5',
      DB_POOL_IDLE_MS: '1000',
      DB_POOL_ACQUIRE_TIMEOUT_MS: '250',
    });
    expect(config.db.pool).to.deep.equal({ min: 1, max: 5, idleMs: 1000, acquireTimeoutMs: 250 });
    expect(configErrorOf({ DB_POOL_MIN: '6', DB_POOL_MAX: '5' }).problems).to.deep.equal([
      'DB_POOL_MIN: must not exceed DB_POOL_MAX',
    ]);
  });

  it('default to a 15 s query timeout and a 5 s connect timeout', () => {
    const config = parseConfig({});
    expect(config.db.queryTimeoutMs).to.equal(15_000);
    expect(config.db.connectTimeoutMs).to.equal(5_000);
  });

  it('migrate on start for SQLite only, unless DB_MIGRATE_ON_START says otherwise', () => {
    expect(parseConfig({ DB_DRIVER: 'postgres' }).db.migrateOnStart).to.equal(false);
    expect(parseConfig({ DB_DRIVER: 'postgres', DB_MIGRATE_ON_START: 'true' }).db.migrateOnStart).to.equal(true);
    expect(parseConfig({ DB_MIGRATE_ON_START: '0' }).db.migrateOnStart).to.equal(false);
  });

  it('want a mongodb:// URL with DB_DRIVER=mongo', () => {
    expect(namesRefused({ DB_DRIVER: 'mongo' })).to.deep.equal(['MONGO_URL']);
    expect(namesRefused({ DB_DRIVER: 'mongo', MONGO_URL: 'http://db.example:27017' })).to.deep.equal(['MONGO_URL']);
    expect(parseConfig({ DB_DRIVER: 'mongo', MONGO_URL: 'mongodb://db.example:27017/portico' }).db.mongoUrl).to.equal(
      'mongodb://db.example:27017/portico',
    );
  });
});
