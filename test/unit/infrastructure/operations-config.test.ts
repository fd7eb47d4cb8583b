import os from 'node:os';
import { expect } from 'chai';
import { ConfigError, parseConfig } from '../../../src/infrastructure/config.js';
import { restartDelayMs } from '../../../src/infrastructure/cluster.js';

const problems = (env: Record<string, string>) => {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.join('\n');
    throw error;
  }
  throw new Error('expected a ConfigError');
};
const PROD = { NODE_ENV: 'production', JWT_PRIVATE_KEY: 'pem' };

describe('operational settings', () => {
  it('default to one process, a 30 s request timeout, 15 s query timeout and metrics outside production', () => {
    const config = parseConfig({});
    expect(config.cluster.workers).to.equal(1);
    expect(config.http.requestTimeoutMs).to.equal(30_000);
    expect(config.db.queryTimeoutMs).to.equal(15_000);
    expect(config.db.connectTimeoutMs).to.equal(5_000);
    expect(config.metrics).to.deep.equal({ enabled: true, token: undefined });
  });

  it('run one worker per CPU for CLUSTER_WORKERS=auto', () => {
    expect(parseConfig({ CLUSTER_WORKERS: 'auto' }).cluster.workers).to.equal(os.availableParallelism());
    expect(parseConfig({ CLUSTER_WORKERS: '3' }).cluster.workers).to.equal(3);
  });

  it('turn /metrics off in production unless a token protects it or it is turned on explicitly', () => {
    expect(parseConfig(PROD).metrics.enabled).to.equal(false);
    expect(parseConfig({ ...PROD, METRICS_TOKEN: 'a-long-enough-token' }).metrics).to.deep.equal({ enabled: true, token: 'a-long-enough-token' });
    expect(parseConfig({ ...PROD, METRICS_ENABLED: 'true' }).metrics.enabled).to.equal(true);
    expect(parseConfig({ METRICS_ENABLED: 'false' }).metrics.enabled).to.equal(false);
  });

  it('leave one libuv thread free of bcrypt by default', () => {
    expect(parseConfig({}).bcryptConcurrency).to.equal(3);
    expect(parseConfig({ UV_THREADPOOL_SIZE: '8' }).bcryptConcurrency).to.equal(7);
    expect(parseConfig({ UV_THREADPOOL_SIZE: '1' }).bcryptConcurrency).to.equal(1);
    expect(parseConfig({ BCRYPT_CONCURRENCY: '2', UV_THREADPOOL_SIZE: '8' }).bcryptConcurrency).to.equal(2);
  });

  it('name each bad value, and never print the metrics token', () => {
    const text = problems({ CLUSTER_WORKERS: 'many', REQUEST_TIMEOUT_MS: '-1', METRICS_TOKEN: 'short-secret', DB_QUERY_TIMEOUT_MS: 'soon' });
    for (const name of ['CLUSTER_WORKERS', 'REQUEST_TIMEOUT_MS', 'METRICS_TOKEN', 'DB_QUERY_TIMEOUT_MS']) expect(text).to.include(name);
    expect(text).to.not.include('short-secret');
    expect(problems({ CLUSTER_WORKERS: '0' })).to.include('CLUSTER_WORKERS');
  });
});

describe('restartDelayMs', () => {
  it('replaces a worker that had been running a while at once', () => {
    expect(restartDelayMs(0)).to.equal(0);
  });

  it('backs off exponentially while workers keep dying young, up to 30 s', () => {
    expect([1, 2, 3, 4, 7, 20].map(restartDelayMs)).to.deep.equal([500, 1_000, 2_000, 4_000, 30_000, 30_000]);
  });
});
