import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { expect } from 'chai';
import nock from 'nock';
import { ConfigError } from '../../../src/infrastructure/config.js';
import { loadConfig, type LoadedConfig } from '../../../src/infrastructure/load-config.js';
import { createLogger } from '../../../src/infrastructure/logging.js';
import { startServer, type RunningServer } from '../../../src/infrastructure/server.js';
import { newPrivateKeyPem } from '../../support/fakes.js';
import { rejectionOf } from '../../support/rejection.js';

const REGION = 'eu-west-1';
const ENDPOINT = `https://ssm.${REGION}.amazonaws.com`;
const JSON_1_1 = { 'content-type': 'application/x-amz-json-1.1' };
const FAKE_CREDENTIALS = { AWS_ACCESS_KEY_ID: 'AKIDTESTONLY', AWS_SECRET_ACCESS_KEY: 'test-only-aws-secret' };
const ADMIN = { email: 'admin@portico.test', password: 'admin-pw-from-ssm-6d2b' };

/** A stage tree as SSM answers GetParametersByPath for `/dev`: two pages, full names. */
function ssmAnswer(tree: Record<string, string>, token: unknown) {
  const all = Object.entries(tree).map(([name, value]) => ({ Name: `/dev/${name}`, Type: 'SecureString', Value: value, Version: 1 }));
  const half = Math.ceil(all.length / 2);
  return token === 'page-2' ? { Parameters: all.slice(half) } : { Parameters: all.slice(0, half), NextToken: 'page-2' };
}

function serveStageTree(tree: Record<string, string>) {
  nock(ENDPOINT, { reqheaders: { 'x-amz-target': 'AmazonSSM.GetParametersByPath' } })
    .persist()
    .post('/', (body: { Path?: string; WithDecryption?: boolean }) => body.Path === '/dev' && body.WithDecryption === true)
    .reply(200, (_uri, body) => ssmAnswer(tree, (JSON.parse(String(body)) as { NextToken?: string }).NextToken), JSON_1_1);
}

const env = (extra: Record<string, string> = {}) => ({
  SECRETS_SOURCE: 'ssm',
  STAGE: 'dev',
  AWS_REGION: REGION,
  DB_DRIVER: 'memory',
  HOST: '127.0.0.1',
  PORT: '0',
  BCRYPT_COST: '4',
  LOG_LEVEL: 'debug',
  ...extra,
});

const kidOf = (token: string) => (JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString()) as { kid: string }).kid;

describe('booting the whole app from an SSM stage tree', () => {
  const saved: Record<string, string | undefined> = {};
  before(() => {
    nock.disableNetConnect();
    nock.enableNetConnect(/127\.0\.0\.1|localhost/);
    for (const [name, value] of Object.entries(FAKE_CREDENTIALS)) (saved[name] = process.env[name]), (process.env[name] = value);
  });
  after(() => {
    for (const [name, value] of Object.entries(saved)) value === undefined ? delete process.env[name] : (process.env[name] = value);
    nock.cleanAll();
    nock.enableNetConnect();
  });

  // One full run, step by step: every log line it writes is kept and searched for secret values at the end.
  describe('a full run', () => {
    const tree: Record<string, string> = {
      DB_HOST: 'db.dev.internal',
      DB_USER: 'portico_dev',
      DB_PASSWORD: 'db-pw-from-ssm-41c9',
      JWT_PRIVATE_KEY: newPrivateKeyPem(),
      STRIPE_KEY: 'sk_test_from_ssm_5e07',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
    };
    const secretValues = [tree.DB_PASSWORD, tree.STRIPE_KEY, tree.JWT_PRIVATE_KEY, ADMIN.password] as string[];
    const logs: string[] = [];
    const bodies: string[] = [];
    let loaded: LoadedConfig;
    let running: RunningServer;
    let firstToken: string;

    const call = async (path: string, init: { method?: string; token?: string; body?: object } = {}) => {
      const response = await fetch(`${running.url}${path}`, {
        method: init.method ?? 'GET',
        headers: { 'content-type': 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
        body: init.body ? JSON.stringify(init.body) : undefined,
      });
      const text = await response.text();
      bodies.push(text);
      return { status: response.status, json: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
    };
    const login = async () => {
      const { status, json } = await call('/v1/auth/login', { method: 'POST', body: ADMIN });
      expect(status).to.equal(200);
      return String(json.accessToken);
    };

    before(async () => {
      serveStageTree(tree);
      const logger = createLogger('debug', new Writable({ write: (chunk: Buffer, _e, done) => (logs.push(chunk.toString()), done()) }));
      loaded = await loadConfig(logger, env());
      running = await startServer(loaded.config, logger, { secrets: loaded.secrets });
    });
    after(async () => {
      await running?.stop();
      nock.cleanAll();
    });

    it('takes its settings from the tree and logs the admin in over HTTP', async () => {
      expect(loaded.config.secrets).to.deep.include({ source: 'ssm', stage: 'dev', prefix: '/dev/' });
      expect(loaded.config.db.password).to.equal(tree.DB_PASSWORD);
      firstToken = await login();
      const me = await call('/v1/auth/me', { token: firstToken });
      expect(me.status).to.equal(200);
      expect(me.json.user).to.include({ email: ADMIN.email, role: 'admin' });
    });

    it('rotates the signing key on a refresh, and tokens from both keys keep working', async () => {
      tree.JWT_PRIVATE_KEY = newPrivateKeyPem('ed25519');
      secretValues.push(tree.JWT_PRIVATE_KEY);
      await loaded.secrets.refresh();
      const secondToken = await login();

      expect(kidOf(secondToken)).to.not.equal(kidOf(firstToken));
      expect((await call('/v1/auth/me', { token: firstToken })).status).to.equal(200);
      expect((await call('/v1/auth/me', { token: secondToken })).status).to.equal(200);
      const jwks = await call('/.well-known/jwks.json');
      expect((jwks.json.keys as Array<{ kid: string }>).map((k) => k.kid)).to.have.members([kidOf(firstToken), kidOf(secondToken)]);
    });

    it('keeps serving with the last good secrets when SSM fails after boot', async () => {
      nock.cleanAll();
      nock(ENDPOINT).persist().post('/').reply(400, { __type: 'AccessDeniedException', message: 'not authorized' }, JSON_1_1);
      await loaded.secrets.refresh();
      expect((await call('/v1/auth/me', { token: firstToken })).status).to.equal(200);
      expect(kidOf(await login())).to.equal(kidOf(await login()));
      expect(logs.join('')).to.include('secrets refresh failed');
      nock.cleanAll();
      serveStageTree(tree);
    });

    it('writes no secret value to its logs, health answers or OpenAPI document', async () => {
      for (const path of ['/health/live', '/health/ready', '/openapi.json', '/.well-known/jwks.json']) await call(path);
      await running.stop();
      expect(logs.join('')).to.include('listening').and.include('signing key rotated').and.include('shutting down');
      const everything = [...logs, ...bodies].join('\n');
      for (const value of secretValues) {
        expect(everything).to.not.include(value);
        // A PEM also must not leak line by line.
        for (const line of value.split('\n').filter((l) => l.length > 20)) expect(everything).to.not.include(line);
      }
    });
  });

  describe('a stage tree with required parameters missing', () => {
    afterEach(() => nock.cleanAll());

    it('refuses to build a config, naming every missing parameter and no value', async () => {
      serveStageTree({ DB_USER: 'portico_dev', STRIPE_KEY: 'sk_test_only_in_tree_0a1' });
      const error = await rejectionOf(loadConfig(createLogger('silent'), env({ DB_DRIVER: 'postgres' })));
      expect(error).to.be.instanceOf(ConfigError);
      expect((error as ConfigError).problems.map((p) => p.split(':')[0])).to.have.members(['DB_HOST', 'DB_PASSWORD', 'JWT_PRIVATE_KEY']);
      expect(error.message).to.not.include('sk_test_only_in_tree_0a1').and.not.include('portico_dev');
    });

    it('makes `npm start` exit non-zero before opening a port, naming each missing parameter', async () => {
      const fakeSsm = await aFakeSsmServer({ DB_USER: 'portico_dev', STRIPE_KEY: 'sk_test_child_7b3' });
      try {
        const child = await runMain({ ...env({ DB_DRIVER: 'postgres', PORT: '0' }), ...FAKE_CREDENTIALS, AWS_ENDPOINT_URL_SSM: fakeSsm.url });
        expect(child.code).to.equal(1);
        for (const name of ['DB_HOST', 'DB_PASSWORD', 'JWT_PRIVATE_KEY']) expect(child.output).to.include(name);
        expect(child.output).to.include('invalid configuration').and.not.include('listening');
        expect(child.output).to.not.include('sk_test_child_7b3').and.not.include('portico_dev');
      } finally {
        fakeSsm.server.close();
      }
    });
  });
});

/** A local SSM look-alike, for a child process that nock cannot reach. */
async function aFakeSsmServer(tree: Record<string, string>) {
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      res.writeHead(200, JSON_1_1).end(JSON.stringify(ssmAnswer(tree, (JSON.parse(body) as { NextToken?: string }).NextToken)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function runMain(childEnv: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...childEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  return new Promise((resolve) => child.on('close', (code) => (clearTimeout(killer), resolve({ code, output }))));
}
