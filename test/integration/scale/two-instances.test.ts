import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import pg from 'pg';
import { migrate, openOrm } from '../../../src/adapters/persistence/mikro-orm/open-orm.js';
import { newPrivateKeyPem } from '../../support/fakes.js';
import { kidOf, kidsOf } from '../../support/kid-of.js';
import { motoEnv, motoS3Client, createTestBucket, type TestBucket } from '../../support/moto.js';
import { freePort, startNginx, type Nginx } from '../../support/nginx.js';
import { createTestDatabase, requirePgBouncer, type TestDatabase } from '../../support/postgres.js';
import { redisUrl, requireRedis } from '../../support/redis.js';
import { putTree, useSsmTree } from '../../support/ssm-trees.js';
import { startMain, type Child } from '../../support/start-child.js';
import { bearer, call, postJson as json, startLoad, type LoadTally } from '../../support/rolling-load.js';
import { until } from '../../support/until.js';

const GRACE_S = 3;
/**
 * Two `npm start` processes behind Debian's nginx (round robin, loopback), sharing PostgreSQL through
 * PgBouncer (transaction mode), Redis, S3 and SSM on moto: what one instance does, the other sees.
 */
describe('two instances behind nginx, sharing PostgreSQL via PgBouncer, Redis, S3 and SSM', function () {
  this.timeout(120_000);
  const tree = useSsmTree();
  let database: TestDatabase;
  let bucket: TestBucket;
  let nginx: Nginx;
  let env: Record<string, string>;
  const ports: number[] = [];
  const instances: Child[] = [];
  const dataDirs: string[] = [];
  const prefix = () => `${tree.root}dev/`;

  const startInstance = async (i: number) => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'portico-scale-'));
    dataDirs.push(dataDir);
    const child = startMain({ ...env, PORT: String(ports[i]), DATA_DIR: dataDir }, { limitMs: 300_000 });
    instances[i] = child;
    await child.waitFor(/"msg":"listening"/);
    return child;
  };
  const instanceUrl = (i: number) => `http://127.0.0.1:${ports[i]}`;

  before(async function () {
    await requireRedis(this);
    const bouncer = await requirePgBouncer(this);
    database = await createTestDatabase();
    const orm = await openOrm(database.db);
    await migrate(orm, 'up'); // once, before the instances start, as a release job would
    await orm.close(true);
    const s3 = motoS3Client(tree.moto);
    bucket = await createTestBucket(s3, { versioning: true });
    s3.destroy();
    await putTree(tree.ssm, prefix(), {
      JWT_PRIVATE_KEY: newPrivateKeyPem(),
      STRIPE_KEY: 'sk_test_scale',
      DB_HOST: bouncer.host,
      DB_PORT: String(bouncer.port),
      DB_USER: database.db.user,
      DB_PASSWORD: 'unused-with-trust',
      DB_NAME: database.name,
    });
    env = {
      ...motoEnv(tree.moto),
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      SECRETS_SOURCE: 'ssm',
      STAGE: 'dev',
      SSM_PREFIX: prefix(),
      SECRETS_TTL_S: '10',
      DB_DRIVER: 'postgres',
      DB_POOLER: 'transaction',
      DB_PREPARED_STATEMENTS: 'false',
      DB_POOL_MAX: '4',
      DB_MIGRATE_ON_START: 'false',
      REDIS_URL: redisUrl(),
      FILE_STORE: 's3',
      S3_BUCKET: bucket.name,
      S3_FORCE_PATH_STYLE: 'true',
      BCRYPT_COST: '4',
      TRUST_PROXY: 'true',
      LOGIN_MAX_FAILURES_PER_ACCOUNT: '4',
      LOGIN_MAX_FAILURES_PER_CLIENT: '100000',
      REFRESH_REUSE_GRACE_S: String(GRACE_S),
      REFRESH_TOKEN_SECRET: randomBytes(24).toString('hex'),
      FILE_URL_SECRET: randomBytes(24).toString('hex'),
      MFA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      SHUTDOWN_GRACE_MS: '10000',
    };
    ports.push(await freePort(), await freePort());
    await Promise.all([startInstance(0), startInstance(1)]);
    nginx = await startNginx(this, ports);
  });
  after(async () => {
    await nginx?.stop();
    for (const child of instances) child?.kill('SIGKILL');
    await Promise.all(instances.map((c) => c?.finished));
    await bucket?.remove();
    await database?.drop();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  const register = async (url: string) => {
    const account = {
      email: `scale-${randomBytes(6).toString('hex')}@example.com`,
      password: 'scale test pw 1',
      name: 'S',
    };
    const res = await call(`${url}/v1/auth/register`, json(account));
    expect(res.status, res.text).to.equal(201);
    return { ...account, id: res.body.user.id as string };
  };
  const login = (url: string, email: string, password: string) =>
    call(`${url}/v1/auth/login`, json({ email, password }));

  it('spreads requests over both instances (round robin)', async () => {
    const before = instances.map((c) => c.records().length);
    // Readiness is logged at debug level; an unauthenticated /me at info, by whichever instance answers it.
    for (let i = 0; i < 6; i++) expect((await call(`${nginx.url}/v1/auth/me`)).status).to.equal(401);
    const after = instances.map((c, i) => c.records().length - before[i]!);
    expect(
      after.every((n) => n > 0),
      `log lines per instance: ${after.join(', ')}`,
    ).to.equal(true);
  });

  it('counts failed logins on either instance against the same account (Redis)', async () => {
    const user = await register(nginx.url);
    for (const i of [0, 1, 0, 1])
      expect((await login(instanceUrl(i), user.email, 'wrong password')).status).to.equal(401);
    expect((await login(instanceUrl(0), user.email, user.password)).status).to.equal(429);
    expect((await login(instanceUrl(1), user.email, user.password)).status).to.equal(429);
  });

  it('gives a refresh token replayed on the other instance within the grace the same successor, and after it ends the session', async () => {
    const user = await register(nginx.url);
    const session = (await login(nginx.url, user.email, user.password)).body;
    const spent = await call(`${instanceUrl(0)}/v1/auth/refresh`, json({ refreshToken: session.refreshToken }));
    expect(spent.status, spent.text).to.equal(200);
    const replayed = await call(`${instanceUrl(1)}/v1/auth/refresh`, json({ refreshToken: session.refreshToken }));
    expect(replayed.status, replayed.text).to.equal(200);
    expect(replayed.body.refreshToken).to.equal(spent.body.refreshToken);

    await new Promise((resolve) => setTimeout(resolve, (GRACE_S + 1) * 1000));
    const late = await call(`${instanceUrl(1)}/v1/auth/refresh`, json({ refreshToken: session.refreshToken }));
    expect(late.status, late.text).to.equal(401);
    const successor = await call(`${instanceUrl(0)}/v1/auth/refresh`, json({ refreshToken: spent.body.refreshToken }));
    expect(successor.status, 'the successor dies with its session').to.equal(401);
  });

  it('uploads a file through one instance and downloads it through the other (S3)', async () => {
    const user = await register(nginx.url);
    const { accessToken } = (await login(nginx.url, user.email, user.password)).body;
    const bytes = randomBytes(256 * 1024);
    const up = await fetch(`${instanceUrl(0)}/v1/files?name=scale.bin`, {
      method: 'POST',
      headers: { ...bearer(accessToken), 'content-type': 'application/octet-stream' },
      body: bytes,
    });
    const file = (await up.json()) as { file: { id: string } };
    expect(up.status).to.equal(201);
    const down = await fetch(`${instanceUrl(1)}/v1/files/${file.file.id}/content`, { headers: bearer(accessToken) });
    expect(down.status).to.equal(200);
    expect(Buffer.from(await down.arrayBuffer()).equals(bytes)).to.equal(true);
  });

  it('publishes a signing key rotated in SSM on both instances, and each accepts the tokens the other signs', async () => {
    const jwks = async (i: number) => kidsOf((await call(`${instanceUrl(i)}/.well-known/jwks.json`)).body as never);
    const [before0, before1] = [await jwks(0), await jwks(1)];
    expect(before0).to.deep.equal(before1);
    await putTree(tree.ssm, prefix(), { JWT_PRIVATE_KEY: newPrivateKeyPem() });
    await until(async () => (await jwks(0)).length > before0.length && (await jwks(1)).length > before1.length, {
      everyMs: 500,
      withinMs: 40_000,
    });
    const [after0, after1] = [await jwks(0), await jwks(1)];
    expect(after0).to.deep.equal(after1);
    expect(after0).to.include.members(before0);
    const rotated = after0.find((kid) => !before0.includes(kid));
    expect(rotated, 'a new key in the JWKS').to.be.a('string');

    const user = await register(nginx.url);
    for (const [signer, verifier] of [
      [0, 1],
      [1, 0],
    ] as const) {
      const { accessToken } = (await login(instanceUrl(signer), user.email, user.password)).body;
      expect(kidOf(accessToken)).to.equal(rotated);
      expect((await call(`${instanceUrl(verifier)}/v1/auth/me`, { headers: bearer(accessToken) })).status).to.equal(
        200,
      );
    }
  });

  it('loses nothing in a rolling restart under load: no failed GET, every acknowledged POST stored', async () => {
    const reader = await register(nginx.url);
    const { accessToken } = (await login(nginx.url, reader.email, reader.password)).body;
    let tally: LoadTally | undefined;
    const load = startLoad(nginx.url, { id: reader.id, token: accessToken });
    const restart = async (i: number) => {
      await new Promise((resolve) => setTimeout(resolve, 700));
      instances[i]!.kill('SIGTERM');
      const finished = await instances[i]!.finished;
      expect(finished.code, finished.output.slice(-2000)).to.equal(0);
      await new Promise((resolve) => setTimeout(resolve, 500));
      await startInstance(i);
    };
    try {
      await restart(0);
      await restart(1);
      await new Promise((resolve) => setTimeout(resolve, 700));
    } finally {
      tally = await load.stop();
    }

    if (!tally) throw new Error('the load did not stop');
    const client = new pg.Client({ ...database.db, database: database.name });
    await client.connect();
    const stored = await client.query<{ id: string }>('select id from users where id = any($1::uuid[])', [
      tally.created,
    ]);
    await client.end();
    console.log(
      `      rolling restart: ${tally.gets} GETs (${tally.getFailures.length} failed), ${tally.posts} POSTs ` +
        `(${tally.created.length} acknowledged, ${stored.rowCount} of them stored, ${tally.postFailures.length} failed)`,
    );
    expect(tally.getFailures, tally.getFailures.slice(0, 5).join('\n')).to.deep.equal([]);
    expect(stored.rowCount).to.equal(tally.created.length);
    expect(tally.created.length).to.be.greaterThan(10);
    // nginx found each stopped instance refusing and passed those requests on: the restart was under load.
    expect(nginx.errors()).to.match(/Connection refused/);
  });
});
