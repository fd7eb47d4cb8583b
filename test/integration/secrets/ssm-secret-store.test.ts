import { GetParametersByPathCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { expect } from 'chai';
import {
  createSsmClient,
  DEFAULT_TIMEOUT_MS,
  SecretStoreUnavailableError,
  SsmSecretStore,
} from '../../../src/adapters/secrets/ssm-secret-store.js';
import { rejectionOf } from '../../support/rejection.js';
import { putTree, useEnv, useSsmTree } from '../../support/ssm-trees.js';
import { TcpProxy } from '../../support/tcp-proxy.js';

describe('SsmSecretStore on moto', function () {
  const tree = useSsmTree();

  it('reads a stage tree of three pages whole: nested names, SecureStrings decrypted, String and StringList as stored', async () => {
    const secure = Object.fromEntries(
      Array.from({ length: 22 }, (_, i) => [`SECRET_${String(i).padStart(2, '0')}`, `secret-value-${i}`]),
    );
    await putTree(tree.ssm, `${tree.root}dev/`, secure);
    await putTree(
      tree.ssm,
      `${tree.root}dev/`,
      { DB_NAME: 'portico_dev', 'billing/stripe/ACCOUNT': 'acct_dev_1' },
      'String',
    );
    await putTree(tree.ssm, `${tree.root}dev/`, { CORS_ORIGINS: 'https://a.example,https://b.example' }, 'StringList');

    // moto, like SSM, answers at most 10 parameters a page: one read alone cannot see the tree.
    const first = await tree.ssm.send(
      new GetParametersByPathCommand({ Path: `${tree.root}dev`, Recursive: true, WithDecryption: true }),
    );
    expect(first.Parameters).to.have.length(10);
    expect(first.NextToken).to.be.a('string');

    expect(await new SsmSecretStore(tree.ssm, `${tree.root}dev/`).load()).to.deep.equal({
      ...secure,
      DB_NAME: 'portico_dev',
      'billing/stripe/ACCOUNT': 'acct_dev_1',
      CORS_ORIGINS: 'https://a.example,https://b.example',
    });
  });

  it('keeps stages apart: each reads its own prefix, never a sibling that starts with the same letters', async () => {
    const base = `${tree.root}apart/`;
    for (const stage of ['dev', 'qa', 'prod'])
      await putTree(tree.ssm, `${base}${stage}/`, { DB_PASSWORD: `pw-${stage}` });
    await putTree(tree.ssm, `${base}dev/`, { 'nested/ONLY_DEV': 'dev-only' });
    await putTree(tree.ssm, base, { development: 'the-parent-level', SHARED: 'above-every-stage' });
    await putTree(tree.ssm, `${base}development/`, { DB_PASSWORD: 'pw-development' });
    // A parameter named exactly like the stage's path is its parent's, not part of the stage.
    await putTree(tree.ssm, base, { dev: 'named-like-the-path' });

    expect(await new SsmSecretStore(tree.ssm, `${base}dev/`).load()).to.deep.equal({
      DB_PASSWORD: 'pw-dev',
      'nested/ONLY_DEV': 'dev-only',
    });
    expect(await new SsmSecretStore(tree.ssm, `${base}qa/`).load()).to.deep.equal({ DB_PASSWORD: 'pw-qa' });
    expect(await new SsmSecretStore(tree.ssm, `${base}prod`).load()).to.deep.equal({ DB_PASSWORD: 'pw-prod' });
  });

  it('sees an overwritten parameter on the next load', async () => {
    const prefix = `${tree.root}overwrite/`;
    await putTree(tree.ssm, prefix, { STRIPE_KEY: 'sk_first' });
    const store = new SsmSecretStore(tree.ssm, prefix);
    expect(await store.load()).to.deep.equal({ STRIPE_KEY: 'sk_first' });

    const put = new PutParameterCommand({
      Name: `${prefix}STRIPE_KEY`,
      Value: 'sk_second',
      Type: 'SecureString',
      Overwrite: true,
    });
    const { Version } = await tree.ssm.send(put);

    expect(Version).to.equal(2);
    expect(await store.load()).to.deep.equal({ STRIPE_KEY: 'sk_second' });
  });

  it('reads a prefix that holds nothing as an empty tree', async () => {
    expect(await new SsmSecretStore(tree.ssm, `${tree.root}nothing-here/`).load()).to.deep.equal({});
  });

  describe("with the app's own client, through a proxy that can lose or stall moto", () => {
    const credentials = { accessKeyId: 'moto-test', secretAccessKey: 'moto-test' };
    let proxy: TcpProxy;
    let restoreEnv: () => void;
    const prefix = () => `${tree.root}faults/`;

    before(async () => {
      proxy = await TcpProxy.inFrontOf(tree.moto.endpoint);
      restoreEnv = useEnv({ AWS_ENDPOINT_URL_SSM: `http://127.0.0.1:${proxy.port}` });
      await putTree(tree.ssm, prefix(), { DB_HOST: 'db.faults.internal' });
    });
    afterEach(() => proxy.restore());
    after(async () => {
      restoreEnv?.();
      await proxy?.close();
    });

    /** The client as createSsmClient builds it, recording each attempt's amz-sdk-request header. */
    function aClient(options: { maxAttempts: number; timeoutMs?: number }) {
      const client = createSsmClient({ region: tree.moto.region, credentials, ...options });
      const attempts: string[] = [];
      client.middlewareStack.add(
        (next) => async (args) => {
          attempts.push(String((args.request as { headers: Record<string, string> }).headers['amz-sdk-request']));
          return next(args);
        },
        { step: 'deserialize', name: 'recordAttempts' },
      );
      return { client, attempts };
    }

    it('reaches moto through AWS_ENDPOINT_URL_SSM, as it would reach SSM', async () => {
      const { client } = aClient({ maxAttempts: 1 });
      expect(await new SsmSecretStore(client, prefix()).load()).to.deep.equal({ DB_HOST: 'db.faults.internal' });
    });

    it('gives up on a stalled SSM once the attempts time out, naming the path, instead of waiting forever', async () => {
      proxy.stall();
      const { client, attempts } = aClient({ maxAttempts: 2, timeoutMs: 300 });
      const started = Date.now();

      const error = await rejectionOf(new SsmSecretStore(client, prefix()).load());

      expect(error).to.be.instanceOf(SecretStoreUnavailableError);
      expect(error.message).to.include(`under ${prefix()}`).and.include('TimeoutError');
      expect(attempts).to.deep.equal(['attempt=1; max=2', 'attempt=2; max=2']);
      expect(Date.now() - started).to.be.below(3_000);
    });

    it('times an attempt out after DEFAULT_TIMEOUT_MS unless told otherwise', async function () {
      this.timeout(DEFAULT_TIMEOUT_MS * 3);
      proxy.stall();
      const { client } = aClient({ maxAttempts: 1 });
      const started = Date.now();

      const error = await rejectionOf(new SsmSecretStore(client, prefix()).load());

      expect(error.message).to.include('TimeoutError');
      expect(Date.now() - started).to.be.within(DEFAULT_TIMEOUT_MS - 100, DEFAULT_TIMEOUT_MS * 2);
    });

    it('retries an attempt that timed out, and reads the tree once SSM answers again', async () => {
      proxy.stall();
      const { client, attempts } = aClient({ maxAttempts: 3, timeoutMs: 300 });
      setTimeout(() => void proxy.restore(), 400);

      expect(await new SsmSecretStore(client, prefix()).load()).to.deep.equal({ DB_HOST: 'db.faults.internal' });
      expect(attempts).to.deep.equal(['attempt=1; max=3', 'attempt=2; max=3']);
    });

    it('fails naming the path and the connection error when SSM cannot be reached at all', async () => {
      await proxy.cut();
      const { client, attempts } = aClient({ maxAttempts: 2 });

      const error = await rejectionOf(new SsmSecretStore(client, prefix()).load());

      expect(error).to.be.instanceOf(SecretStoreUnavailableError);
      expect(error.message).to.include(`under ${prefix()}`).and.include('ECONNREFUSED');
      expect(attempts).to.have.length(2);
    });
  });
});
