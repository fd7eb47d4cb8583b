import { expect } from 'chai';
import { ConfigError, parseConfig } from '../../../src/infrastructure/config.js';

const failure = (env: Record<string, string>) => {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
};

describe('parseConfig', () => {
  it('defaults to the embedded SQLite store on port 3000 with migrations on start', () => {
    const config = parseConfig({});
    expect(config.http.port).to.equal(3000);
    expect(config.db.driver).to.equal('sqlite');
    expect(config.db.migrateOnStart).to.equal(true);
    expect(config.db.sqlitePath).to.match(/data\/portico\.sqlite$/);
    expect(Object.isFrozen(config)).to.equal(true);
  });

  it('reads pool settings and the CORS allow-list', () => {
    const config = parseConfig({ DB_POOL_MIN: '1', DB_POOL_MAX: '5', DB_POOL_IDLE_MS: '1000', DB_POOL_ACQUIRE_TIMEOUT_MS: '250', CORS_ORIGINS: 'https://a.test, https://b.test' });
    expect(config.db.pool).to.deep.equal({ min: 1, max: 5, idleMs: 1000, acquireTimeoutMs: 250 });
    expect(config.cors.origins).to.deep.equal(['https://a.test', 'https://b.test']);
  });

  it('names every bad setting at once and never prints a value', () => {
    const error = failure({ PORT: 'eighty', DB_DRIVER: 'oracle', BCRYPT_COST: '99', DB_PASSWORD: 'hunter2' });
    for (const name of ['PORT', 'DB_DRIVER', 'BCRYPT_COST']) expect(error.message).to.include(name);
    expect(error.message).to.not.include('eighty');
    expect(error.message).to.not.include('oracle');
  });

  it('wants ADMIN_EMAIL and ADMIN_PASSWORD together', () => {
    expect(failure({ ADMIN_EMAIL: 'root@example.com' }).message).to.include('ADMIN_PASSWORD');
  });

  it('requires a signing key in production', () => {
    expect(failure({ NODE_ENV: 'production' }).message).to.include('JWT_PRIVATE_KEY');
  });

  it('refuses a wildcard CORS origin', () => {
    expect(failure({ CORS_ORIGINS: '*' }).message).to.include('CORS_ORIGINS');
  });
});
