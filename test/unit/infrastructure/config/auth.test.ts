import { expect } from 'chai';
import { parseConfig } from '../../../../src/infrastructure/config.js';
import { configErrorOf } from '../../../support/config-error-of.js';

describe('auth settings', () => {
  it('want ADMIN_EMAIL and ADMIN_PASSWORD together', () => {
    expect(configErrorOf({ ADMIN_EMAIL: 'root@example.com' }).message).to.include('ADMIN_PASSWORD');
    expect(parseConfig({ ADMIN_EMAIL: 'root@example.com', ADMIN_PASSWORD: 'long enough' }).admin).to.deep.equal({
      email: 'root@example.com',
      password: 'long enough',
    });
  });

  it('require a signing key in production', () => {
    expect(configErrorOf({ NODE_ENV: 'production' }).message).to.include('JWT_PRIVATE_KEY');
  });

  it('leave one libuv thread free of bcrypt by default', () => {
    expect(parseConfig({}).bcryptConcurrency).to.equal(3);
    expect(parseConfig({ UV_THREADPOOL_SIZE: '8' }).bcryptConcurrency).to.equal(7);
    expect(parseConfig({ UV_THREADPOOL_SIZE: '1' }).bcryptConcurrency).to.equal(1);
    expect(parseConfig({ BCRYPT_CONCURRENCY: '2', UV_THREADPOOL_SIZE: '8' }).bcryptConcurrency).to.equal(2);
  });
});
