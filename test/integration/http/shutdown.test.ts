import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { listeningPort, startMain } from '../../support/start-child.js';

describe('graceful shutdown on SIGTERM (the real process)', function () {
  this.timeout(60_000);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'portico-sigterm-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('finishes the request in flight, closes idle keep-alive sockets and exits 0', async () => {
    const credentials = { email: 'root@example.com', password: 'root password 1' };
    const child = startMain(
      {
        NODE_ENV: 'test',
        HOST: '127.0.0.1',
        PORT: '0',
        DB_DRIVER: 'sqlite',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'info',
        BCRYPT_COST: '13',
        ADMIN_EMAIL: credentials.email,
        ADMIN_PASSWORD: credentials.password,
      },
      { limitMs: 50_000 },
    );
    const port = await listeningPort(child);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    let idleSocketClosed = false;
    await new Promise<void>((resolve, reject) => {
      http
        .get({ port, host: '127.0.0.1', path: '/health/live', agent }, (res) => {
          res.resume();
          res.on('end', () => resolve());
          res.socket.once('close', () => (idleSocketClosed = true));
        })
        .on('error', reject);
    });

    // A cost-13 bcrypt comparison keeps this login busy for a good fraction of a second.
    const inFlight = fetch(`http://127.0.0.1:${port}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(credentials),
    });
    await sleep(50);
    child.kill('SIGTERM');

    const answer = await inFlight;
    expect(answer.status).to.equal(200);
    expect((await answer.json()) as object).to.have.property('accessToken');
    const { code, output } = await child.finished;
    expect(code, output).to.equal(0);
    expect(idleSocketClosed).to.equal(true);
    expect(output).to.include('shutting down');
    agent.destroy();
  });
});
