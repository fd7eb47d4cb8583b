import { expect } from 'chai';
import { parseConfig } from '../../../src/infrastructure/config.js';
import { configErrorOf, namesRefused } from '../../support/config-error-of.js';

describe('parseConfig', () => {
  it('defaults to the embedded SQLite store on port 3000 with migrations on start', () => {
    const config = parseConfig({});
    expect(config.http.port).to.equal(3000);
    expect(config.db.driver).to.equal('sqlite');
    expect(config.db.migrateOnStart).to.equal(true);
    expect(config.db.sqlitePath).to.match(/data\/portico\.sqlite$/);
    expect(Object.isFrozen(config)).to.equal(true);
  });

  it('names every bad setting at once and never prints a value', () => {
    const error = configErrorOf({ PORT: 'eighty', DB_DRIVER: 'oracle', BCRYPT_COST: '99', DB_PASSWORD: 'hunter2' });
    for (const name of ['PORT', 'DB_DRIVER', 'BCRYPT_COST']) expect(error.message).to.include(name);
    expect(error.message).to.not.include('eighty');
    expect(error.message).to.not.include('oracle');
  });

  it('reports a bad file setting and a bad database setting together, in one ConfigError', () => {
    const error = configErrorOf({ DB_PORT: 'port-seventy', MULTIPART_QUEUE_SIZE: '0' });
    expect(error.problems.map((p) => p.split(':')[0])).to.deep.equal(['DB_PORT', 'MULTIPART_QUEUE_SIZE']);
    expect(error.message).to.not.include('port-seventy');
  });

  it('checks a rule across settings even when a setting it does not read is bad', () => {
    expect(namesRefused({ DB_PORT: 'port-seventy', FILE_STORE: 's3' })).to.have.members(['DB_PORT', 'S3_BUCKET']);
    expect(namesRefused({ PORT: 'eighty', ADMIN_EMAIL: 'root@example.com' })).to.have.members([
      'PORT',
      'ADMIN_PASSWORD',
    ]);
    expect(namesRefused({ S3_SSE: 'rot13', NODE_ENV: 'production' })).to.have.members([
      'S3_SSE',
      'JWT_PRIVATE_KEY',
      'PUBLIC_APP_URL',
      'MFA_ENCRYPTION_KEY',
    ]);
  });

  it('skips a rule whose own settings are already refused, so each problem is named once', () => {
    expect(namesRefused({ DB_POOL_MIN: 'many', DB_POOL_MAX: '5' })).to.deep.equal(['DB_POOL_MIN']);
    expect(namesRefused({ DB_POOL_MIN: '2000' })).to.deep.equal(['DB_POOL_MIN']);
    expect(namesRefused({ UPLOAD_ABANDON_AFTER_HOURS: '0' })).to.deep.equal(['UPLOAD_ABANDON_AFTER_HOURS']);
  });

  it('takes an empty value as unset', () => {
    const config = parseConfig({ PORT: '', DB_DRIVER: '', S3_BUCKET: '' });
    expect([config.http.port, config.db.driver, config.files.s3.bucket]).to.deep.equal([3000, 'sqlite', undefined]);
  });
});
