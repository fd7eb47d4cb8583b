import { expect } from 'chai';
import { aSignedInUser, expectProblem, send } from '../../support/http-client.js';
import { startPortico, type Portico } from '../../support/portico.js';

const sample = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe('GET /metrics', () => {
  describe('on SQLite, outside production', () => {
    let app: Portico;
    before(async () => {
      app = await startPortico({ DB_DRIVER: 'sqlite' });
    });
    after(() => app.stop());

    it('counts requests by route template and status, never by raw path', async () => {
      const user = await aSignedInUser(app);
      await send(app, 'GET', `/v1/users/${user.id}`, { token: user.token });
      await send(app, 'GET', `/v1/users/${user.id}`, { token: user.token });
      await send(app, 'GET', '/no/such/thing');
      const res = await send(app, 'GET', '/metrics');
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.match(/^text\/plain; version=0\.0\.4/);
      expect(
        sample(res.text, 'http_request_duration_seconds_count{method="GET",route="/v1/users/:id",status="200"}'),
      ).to.equal(2);
      expect(
        sample(res.text, 'http_request_duration_seconds_count{method="POST",route="/v1/auth/register",status="201"}'),
      ).to.equal(1);
      expect(
        sample(res.text, 'http_request_duration_seconds_count{method="GET",route="unmatched",status="404"}'),
      ).to.equal(1);
      expect(res.text).to.not.include(user.id);
      expect(res.text).to.not.include('/no/such/thing');
    });

    it('does not count liveness probes: they are answered before the metrics middleware', async () => {
      for (let i = 0; i < 3; i++) expect((await send(app, 'GET', '/health/live')).status).to.equal(200);
      await send(app, 'GET', '/health/ready');
      const { text } = await send(app, 'GET', '/metrics');
      expect(text).to.not.include('route="/health/live"');
      expect(
        sample(text, 'http_request_duration_seconds_count{method="GET",route="/health/ready",status="200"}'),
      ).to.equal(1);
    });

    it('shows the pool, the event-loop delay and the upload byte counter', async () => {
      const { text } = await send(app, 'GET', '/metrics');
      expect(sample(text, 'db_pool_connections_max')).to.equal(1);
      expect(sample(text, 'db_pool_connections_in_use')).to.equal(0);
      expect(sample(text, 'db_pool_acquire_waiting')).to.equal(0);
      expect(sample(text, 'nodejs_eventloop_lag_p99_seconds')).to.be.a('number').and.not.NaN;
      // prom-client's defaults, but for the per-GC observer (src/infrastructure/metrics.ts says why).
      for (const series of [
        'process_cpu_seconds_total',
        'process_resident_memory_bytes',
        'nodejs_heap_size_used_bytes',
        'nodejs_active_handles_total',
      ]) {
        expect(sample(text, series), series).to.be.a('number').and.not.NaN;
      }
      expect(text).to.match(/^nodejs_heap_space_size_used_bytes\{space="old"\} \d+/m);
      expect(text).to.not.include('nodejs_gc_duration_seconds');
      expect(sample(text, 'upload_bytes_total')).to.equal(0);
    });
  });

  describe('with METRICS_TOKEN', () => {
    const token = 'scrape-token-0123456789';
    let app: Portico;
    before(async () => {
      app = await startPortico({ METRICS_TOKEN: token });
    });
    after(() => app.stop());

    it('answers 401 with a Bearer challenge without the token or with another one', async () => {
      const none = await send(app, 'GET', '/metrics');
      expectProblem(none, 401, 'AUTH.UNAUTHENTICATED');
      expect(none.headers.get('www-authenticate')).to.equal('Bearer');
      const wrong = await send(app, 'GET', '/metrics', { token: `${token}x` });
      expectProblem(wrong, 401, 'AUTH.UNAUTHENTICATED');
      expect(wrong.headers.get('www-authenticate')).to.equal('Bearer error="invalid_token"');
    });

    it('answers the scraper that sends it', async () => {
      const res = await send(app, 'GET', '/metrics', { token });
      expect(res.status).to.equal(200);
      expect(res.text).to.include('http_request_duration_seconds');
    });
  });

  it('is not served in production without a token', async () => {
    const app = await startPortico({
      NODE_ENV: 'production',
      PUBLIC_APP_URL: 'https://app.example.com',
      MFA_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
    });
    try {
      expectProblem(await send(app, 'GET', '/metrics'), 404, 'ROUTE.NOT_FOUND');
    } finally {
      await app.stop();
    }
  });
});
