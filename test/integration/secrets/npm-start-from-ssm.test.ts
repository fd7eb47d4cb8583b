import { expect } from 'chai';
import { motoEnv } from '../../support/moto.js';
import { putTree } from '../../support/ssm-trees.js';
import { aStageTree, ADMIN, operatorEnv, tracesOf, useStageBoot, writeStageTree } from '../../support/stage-tree.js';
import { listeningPort, startMain } from '../../support/start-child.js';
import { TcpProxy } from '../../support/tcp-proxy.js';

// `npm start` itself (src/main.ts in a process of its own), given the AWS settings that point the SDK at moto.
describe('npm start with SECRETS_SOURCE=ssm, on moto', function () {
  const boot = useStageBoot();

  const start = (prefix: string, extra: Record<string, string> = {}) =>
    startMain({ ...motoEnv(boot.moto), ...operatorEnv(boot.moto, prefix, boot.dataDir), ...extra });

  it('boots from the tree, serves the admin it names, and stops cleanly on SIGTERM', async () => {
    const prefix = `${boot.root}child-dev/`;
    const tree = aStageTree(await boot.createDatabase());
    await writeStageTree(boot.ssm, prefix, tree);
    const app = start(prefix);

    let status: number;
    try {
      const port = await listeningPort(app);
      const login = await fetch(`http://127.0.0.1:${port}/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(ADMIN),
      });
      status = login.status;
    } finally {
      app.kill('SIGTERM');
    }
    const { code, output } = await app.finished;

    expect(status).to.equal(200);
    expect(code).to.equal(0);
    for (const trace of Object.values(tree.secure).flatMap(tracesOf)) expect(output).to.not.include(trace);
  });

  it('exits 1 before opening a port, naming each missing parameter and no value', async () => {
    const prefix = `${boot.root}child-missing/`;
    await putTree(boot.ssm, prefix, { DB_USER: 'portico_dev_user', STRIPE_KEY: 'sk_test_child_7b3' });

    const { code, output } = await start(prefix).finished;

    expect(code).to.equal(1);
    expect(output).to.include('invalid configuration').and.not.include('listening');
    for (const name of ['DB_HOST', 'DB_PASSWORD', 'JWT_PRIVATE_KEY']) {
      expect(output).to.include(`${name}: required parameter missing from SSM under ${prefix}`);
    }
    expect(output).to.not.include('DB_USER: required').and.not.include('STRIPE_KEY: required');
    expect(output).to.not.include('sk_test_child_7b3').and.not.include('portico_dev_user');
  });

  it('exits 1 naming the path and the error when SSM cannot be reached', async () => {
    const lost = await TcpProxy.inFrontOf(boot.moto.endpoint);
    await lost.cut();

    const { code, output } = await start(`${boot.root}child-lost/`, {
      AWS_ENDPOINT_URL_SSM: `http://127.0.0.1:${lost.port}`,
    }).finished;

    expect(code).to.equal(1);
    expect(output).to.include(`cannot read SSM parameters under ${boot.root}child-lost/`).and.include('ECONNREFUSED');
    expect(output)
      .to.include('DB_HOST, DB_USER, DB_PASSWORD, JWT_PRIVATE_KEY, STRIPE_KEY')
      .and.not.include('listening');
  });
});
