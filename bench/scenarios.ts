// The request scenarios of npm run bench: each drives the app and its bare baseline the same way.
import type { Fixture } from './fixtures.js';
import { PASSWORD, pick, prehashed } from './fixtures.js';
import { bcryptCompareThroughput, drive, driveDownloads, type CannonRequest, type Measured } from './load.js';
import type { Served } from './processes.js';

export interface Target {
  /** app req/s over baseline req/s, at least. */
  ratio: number;
  /** app p99 below this many ms. */
  p99?: number;
}

export interface Scenario {
  /** What BENCH_ONLY matches (a word of it). */
  key: string;
  name: string;
  target: Target;
  seconds: number;
  app: (seconds: number) => Promise<Measured>;
  baseline: (seconds: number) => Promise<Measured>;
}

export interface LoadSettings {
  connections: number;
  seconds: number;
  loginSeconds: number;
  bcryptCost: number;
  listLimit: number;
}

/**
 * A walk through the user list: each of `walkers` chains follows nextCursor page after page and
 * starts over after the last. autocannon resets a connection's context after every request, so
 * the chains live here: a request takes the next chain's cursor, its answer puts the next one back.
 */
function listWalk(limit: number, walkers: number) {
  const cursors: Array<string | null> = Array.from({ length: walkers }, () => null);
  return {
    setupRequest: (req: CannonRequest) => {
      const cursor = cursors.shift() ?? null;
      return {
        ...req,
        path: `/v1/users?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      };
    },
    onResponse: (status: number, body: string) => {
      cursors.push(status === 200 ? ((JSON.parse(body) as { nextCursor: string | null }).nextCursor ?? null) : null);
    },
  };
}

/**
 * Refresh rotation chains: a request spends one chain's current refresh token, its answer puts the
 * successor back. A refused refresh (never expected) ends that chain; the pool holds twice as many
 * chains as connections.
 */
function refreshChains(tokens: string[]) {
  const pool = [...tokens];
  return {
    method: 'POST',
    setupRequest: (req: CannonRequest) => {
      const refreshToken = pool.shift();
      if (refreshToken === undefined) throw new Error('bench: out of refresh tokens (every chain was refused)');
      return {
        ...req,
        path: '/v1/auth/refresh',
        headers: { ...req.headers, 'content-type': 'application/json' },
        body: JSON.stringify({ refreshToken }),
      };
    },
    onResponse: (status: number, body: string) => {
      if (status === 200) pool.push((JSON.parse(body) as { refreshToken: string }).refreshToken);
    },
  };
}

export function requestScenarios(app: Served, base: Served, fixture: Fixture, s: LoadSettings): Scenario[] {
  const load = (seconds: number) => ({ connections: s.connections, duration: seconds });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  // Each run gets fresh chains: a run's tokens are spent by the next.
  const refreshPools = { app: [...fixture.refresh.app], baseline: [...fixture.refresh.baseline] };
  const take = (side: 'app' | 'baseline') => refreshPools[side].splice(0, 2 * s.connections);
  return [
    {
      key: 'users-by-id',
      name: 'GET /v1/users/{id} (Bearer) vs pg SELECT',
      target: { ratio: 0.9, p99: 40 },
      seconds: s.seconds,
      app: (seconds) =>
        drive(app.pid, {
          ...load(seconds),
          url: app.url,
          requests: [
            {
              setupRequest: (req) => {
                const { id, token } = pick(fixture.signed);
                return { ...req, path: `/v1/users/${id}`, headers: { ...req.headers, ...bearer(token) } };
              },
            },
          ],
        }),
      baseline: (seconds) =>
        drive(base.pid, {
          ...load(seconds),
          url: base.url,
          requests: [{ setupRequest: (req) => ({ ...req, path: `/v1/users/${pick(fixture.signed).id}` }) }],
        }),
    },
    {
      key: 'list',
      name: `GET /v1/users?limit=${s.listLimit} (admin), cursor followed, vs keyset SELECT`,
      target: { ratio: 0.7 },
      seconds: s.seconds,
      app: (seconds) =>
        drive(app.pid, {
          ...load(seconds),
          url: app.url,
          headers: bearer(fixture.admin),
          requests: [listWalk(s.listLimit, s.connections)],
        }),
      baseline: (seconds) =>
        drive(base.pid, { ...load(seconds), url: base.url, requests: [listWalk(s.listLimit, s.connections)] }),
    },
    {
      key: 'refresh',
      name: 'POST /v1/auth/refresh (rotation) vs the same statements in one transaction',
      target: { ratio: 0.6 },
      seconds: s.seconds,
      app: (seconds) => drive(app.pid, { ...load(seconds), url: app.url, requests: [refreshChains(take('app'))] }),
      baseline: (seconds) =>
        drive(base.pid, { ...load(seconds), url: base.url, requests: [refreshChains(take('baseline'))] }),
    },
    {
      key: 'download',
      name: 'GET /v1/files/{id}/content (1 MiB, local disk) vs Koa streaming the file',
      target: { ratio: 0.8 },
      seconds: s.seconds,
      app: (seconds) =>
        driveDownloads(app.pid, {
          ...load(seconds),
          url: `${app.url}/v1/files/${fixture.download.id}/content`,
          headers: bearer(fixture.download.token),
        }),
      baseline: (seconds) =>
        driveDownloads(base.pid, { ...load(seconds), url: `${base.url}/v1/files/${fixture.download.id}/content` }),
    },
    {
      key: 'health',
      name: 'GET /health/live vs plain Koa',
      target: { ratio: 0.95 },
      seconds: s.seconds,
      app: (seconds) => drive(app.pid, { ...load(seconds), url: `${app.url}/health/live` }),
      baseline: (seconds) => drive(base.pid, { ...load(seconds), url: `${base.url}/health/live` }),
    },
    {
      key: 'login',
      name: `POST /v1/auth/login vs bcrypt.compare (cost ${s.bcryptCost})`,
      target: { ratio: 1.0 },
      seconds: s.loginSeconds,
      app: (seconds) =>
        drive(app.pid, {
          ...load(seconds),
          url: app.url,
          requests: [
            {
              method: 'POST',
              setupRequest: (req) => ({
                ...req,
                path: '/v1/auth/login',
                headers: { ...req.headers, 'content-type': 'application/json' },
                body: JSON.stringify({ email: pick(fixture.users).email, password: PASSWORD }),
              }),
            },
          ],
        }),
      baseline: (seconds) => bcryptCompareThroughput(prehashed, fixture.passwordHash, s.connections, seconds),
    },
  ];
}
