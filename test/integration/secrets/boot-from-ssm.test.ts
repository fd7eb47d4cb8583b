import { createPublicKey } from 'node:crypto';
import { Writable } from 'node:stream';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { expect } from 'chai';
import { jwtVerify } from 'jose';
import { ConfigError } from '../../../src/infrastructure/config.js';
import { loadConfig, type LoadedConfig } from '../../../src/infrastructure/load-config.js';
import { createLogger } from '../../../src/infrastructure/logging.js';
import { startServer, type RunningServer } from '../../../src/infrastructure/server.js';
import { newPrivateKeyPem } from '../../support/fakes.js';
import { kidOf, kidsOf } from '../../support/kid-of.js';
import { motoEnv } from '../../support/moto.js';
import type { TestDatabase } from '../../support/postgres.js';
import { directClient } from '../../support/postgres-sessions.js';
import { rejectionOf } from '../../support/rejection.js';
import { putTree, useEnv } from '../../support/ssm-trees.js';
import { aStageTree, ADMIN, operatorEnv, tracesOf, useStageBoot, writeStageTree } from '../../support/stage-tree.js';
import { TcpProxy } from '../../support/tcp-proxy.js';

// The boot path of `npm start` (loadConfig, then startServer) in this process, so a test can refresh the
// secrets at will; npm-start-from-ssm.test.ts runs src/main.ts itself.
describe('booting the whole app from an SSM stage tree on moto', function () {
  const boot = useStageBoot();

  // One full run in this process, step by step; its SSM client goes through a proxy this suite can cut.
  describe('a full run', () => {
    const prefix = () => `${boot.root}dev/`;
    const logs: string[] = [];
    const bodies: string[] = [];
    const secretValues: string[] = [];
    let tree: ReturnType<typeof aStageTree>;
    let db: TestDatabase;
    let proxy: TcpProxy;
    let restoreEnv: () => void;
    let loaded: LoadedConfig;
    let running: RunningServer;
    let firstToken: string;

    const call = async (route: string, init: { method?: string; token?: string; body?: object } = {}) => {
      const response = await fetch(`${running.url}${route}`, {
        method: init.method ?? 'GET',
        headers: {
          'content-type': 'application/json',
          ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
        },
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
    const rotateKeyInSsm = async () => {
      const pem = newPrivateKeyPem('ed25519');
      secretValues.push(pem);
      const put = new PutParameterCommand({
        Name: `${prefix()}JWT_PRIVATE_KEY`,
        Value: pem,
        Type: 'SecureString',
        Overwrite: true,
      });
      return (await boot.ssm.send(put)).Version;
    };

    before(async () => {
      db = await boot.createDatabase();
      tree = aStageTree(db);
      secretValues.push(...Object.values(tree.secure));
      await writeStageTree(boot.ssm, prefix(), tree);
      proxy = await TcpProxy.inFrontOf(boot.moto.endpoint);
      // The app's client finds its endpoint and credentials through the SDK's own chain, as in production.
      restoreEnv = useEnv({ ...motoEnv(boot.moto), AWS_ENDPOINT_URL_SSM: `http://127.0.0.1:${proxy.port}` });
      const logger = createLogger(
        'debug',
        new Writable({ write: (chunk: Buffer, _e, done) => (logs.push(chunk.toString()), done()) }),
      );
      loaded = await loadConfig(logger, { ...operatorEnv(boot.moto, prefix(), boot.dataDir), LOG_LEVEL: 'debug' });
      running = await startServer(loaded.config, logger, { secrets: loaded.secrets });
    });
    after(async () => {
      await running?.stop();
      restoreEnv?.();
      await proxy?.close();
    });

    it('takes its settings from the tree, past its first page, and signs the admin in from PostgreSQL', async () => {
      const { config } = loaded;
      expect(config.secrets).to.deep.include({ source: 'ssm', stage: 'dev', prefix: prefix() });
      expect(config.db).to.deep.include({ host: db.db.host, port: db.db.port, user: db.db.user, name: db.name });
      expect(config.db.password).to.equal(tree.secure.DB_PASSWORD);
      expect(config.stripe.key).to.equal(tree.secure.STRIPE_KEY);
      expect(config.cors.origins).to.deep.equal(['https://app.dev.example', 'https://admin.dev.example']);

      firstToken = await login();
      const { payload } = await jwtVerify(firstToken, createPublicKey(tree.secure.JWT_PRIVATE_KEY));
      expect(payload).to.include({ iss: 'portico-dev-from-ssm', aud: 'portico-dev-api' });
      const me = await call('/v1/auth/me', { token: firstToken });
      expect(me.json.user).to.include({ email: ADMIN.email, role: 'admin' });

      const observer = await directClient(db);
      try {
        const { rows } = await observer.query('select email from users');
        expect(rows.map((r: { email: string }) => r.email)).to.deep.equal([ADMIN.email]);
      } finally {
        await observer.end();
      }
    });

    it('signs with a key put into SSM once the tree is read again; tokens from both keys keep working', async () => {
      expect(await rotateKeyInSsm()).to.equal(2);
      await loaded.secrets.refresh();
      const secondToken = await login();

      expect(kidOf(secondToken)).to.not.equal(kidOf(firstToken));
      expect((await call('/v1/auth/me', { token: firstToken })).status).to.equal(200);
      expect((await call('/v1/auth/me', { token: secondToken })).status).to.equal(200);
      const jwks = await call('/.well-known/jwks.json');
      expect(kidsOf(jwks.json as { keys: object[] })).to.have.members([kidOf(firstToken), kidOf(secondToken)]);
    });

    it('keeps serving with the last good secrets while SSM is unreachable, and reads the tree again once it is back', async () => {
      const signing = kidOf(await login());
      await proxy.cut();
      await rotateKeyInSsm();

      await loaded.secrets.refresh();
      expect(logs.join('')).to.include('secrets refresh failed').and.include('ECONNREFUSED');
      expect((await call('/v1/auth/me', { token: firstToken })).status).to.equal(200);
      expect(kidOf(await login())).to.equal(signing);

      await proxy.restore();
      await loaded.secrets.refresh();
      expect(kidOf(await login())).to.not.equal(signing);
    });

    it('writes no secret value to its logs, health answers or OpenAPI document', async () => {
      for (const route of ['/health/live', '/health/ready', '/openapi.json', '/.well-known/jwks.json'])
        await call(route);
      await running.stop();
      expect(logs.join('')).to.include('listening').and.include('signing key rotated').and.include('shutting down');
      const everything = [...logs, ...bodies].join('\n');
      for (const trace of secretValues.flatMap(tracesOf)) expect(everything).to.not.include(trace);
    });
  });

  it('refuses to build a config from a partial tree, naming every missing parameter and no value', async () => {
    const prefix = `${boot.root}partial/`;
    await putTree(boot.ssm, prefix, {
      DB_USER: 'portico_dev_user',
      STRIPE_KEY: 'sk_test_only_in_tree_0a1',
      DB_PORT: 'not-a-port',
    });
    const restoreEnv = useEnv(motoEnv(boot.moto));
    try {
      const error = await rejectionOf(loadConfig(createLogger('silent'), operatorEnv(boot.moto, prefix, boot.dataDir)));
      expect(error).to.be.instanceOf(ConfigError);
      const named = (error as ConfigError).problems.map((p) => p.split(':')[0]);
      expect(named).to.have.members(['DB_HOST', 'DB_PASSWORD', 'JWT_PRIVATE_KEY', 'DB_PORT']);
      expect(error.message)
        .to.not.include('sk_test_only_in_tree_0a1')
        .and.not.include('portico_dev_user')
        .and.not.include('not-a-port');
    } finally {
      restoreEnv();
    }
  });
});
