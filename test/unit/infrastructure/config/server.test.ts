import os from 'node:os';
import { expect } from 'chai';
import { parseConfig } from '../../../../src/infrastructure/config.js';
import { configErrorOf } from '../../../support/config-error-of.js';

const PROD = {
  NODE_ENV: 'production',
  JWT_PRIVATE_KEY: 'pem',
  PUBLIC_APP_URL: 'https://app.example.com',
  MFA_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
};
const problems = (env: Record<string, string>) => configErrorOf(env).problems.join('\n');

describe('server settings', () => {
  it('default to one process, a 30 s request timeout and metrics outside production', () => {
    const config = parseConfig({});
    expect(config.cluster.workers).to.equal(1);
    expect(config.http.requestTimeoutMs).to.equal(30_000);
    expect(config.metrics).to.deep.equal({ enabled: true, token: undefined });
  });

  it('require If-Match on writes only when REQUIRE_IF_MATCH=true', () => {
    expect(parseConfig({}).http.requireIfMatch).to.equal(false);
    expect(parseConfig({ REQUIRE_IF_MATCH: 'true' }).http.requireIfMatch).to.equal(true);
    expect(parseConfig({ REQUIRE_IF_MATCH: 'false' }).http.requireIfMatch).to.equal(false);
    expect(problems({ REQUIRE_IF_MATCH: 'always' })).to.include('REQUIRE_IF_MATCH');
  });

  it('keep idempotent answers for a day and a running request lease for 5 minutes by default', () => {
    expect(parseConfig({}).http.idempotency).to.deep.equal({ ttlS: 86_400, leaseS: 300 });
    const set = parseConfig({ IDEMPOTENCY_TTL_S: '3600', IDEMPOTENCY_LEASE_S: '30' }).http.idempotency;
    expect(set).to.deep.equal({ ttlS: 3600, leaseS: 30 });
    expect(problems({ IDEMPOTENCY_TTL_S: '0', IDEMPOTENCY_LEASE_S: 'long' }))
      .to.include('IDEMPOTENCY_TTL_S')
      .and.include('IDEMPOTENCY_LEASE_S');
  });

  it('run one worker per CPU for CLUSTER_WORKERS=auto', () => {
    expect(parseConfig({ CLUSTER_WORKERS: 'auto' }).cluster.workers).to.equal(os.availableParallelism());
    expect(parseConfig({ CLUSTER_WORKERS: '3' }).cluster.workers).to.equal(3);
  });

  it('turn /metrics off in production unless a token protects it or it is turned on explicitly', () => {
    expect(parseConfig(PROD).metrics.enabled).to.equal(false);
    expect(parseConfig({ ...PROD, METRICS_TOKEN: 'a-long-enough-token' }).metrics).to.deep.equal({
      enabled: true,
      token: 'a-long-enough-token',
    });
    expect(parseConfig({ ...PROD, METRICS_ENABLED: 'true' }).metrics.enabled).to.equal(true);
    expect(parseConfig({ METRICS_ENABLED: 'false' }).metrics.enabled).to.equal(false);
  });

  it('name each bad value, and never print the metrics token', () => {
    const text = problems({
      CLUSTER_WORKERS: 'many',
      REQUEST_TIMEOUT_MS: '-1',
      METRICS_TOKEN: 'short-secret',
      DB_QUERY_TIMEOUT_MS: 'soon',
    });
    for (const name of ['CLUSTER_WORKERS', 'REQUEST_TIMEOUT_MS', 'METRICS_TOKEN', 'DB_QUERY_TIMEOUT_MS'])
      expect(text).to.include(name);
    expect(text).to.not.include('short-secret');
    expect(problems({ CLUSTER_WORKERS: '0' })).to.include('CLUSTER_WORKERS');
  });

  it('read the CORS allow-list, and refuse a wildcard origin', () => {
    expect(parseConfig({ CORS_ORIGINS: 'https://a.test, https://b.test' }).cors.origins).to.deep.equal([
      'https://a.test',
      'https://b.test',
    ]);
    expect(configErrorOf({ CORS_ORIGINS: '*' }).message).to.include('CORS_ORIGINS');
  });
});
