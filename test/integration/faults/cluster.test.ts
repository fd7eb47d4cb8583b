import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { startMain, type Child } from '../../support/start-child.js';
import { until } from '../../support/until.js';

interface LogLine {
  pid: number;
  msg: string;
  port?: number;
  workerPid?: number;
  route?: string | null;
}

const listening = (lines: LogLine[]) => lines.filter((l) => l.msg === 'listening');
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** One request on a fresh connection, so the cluster's round robin can hand it to any worker. */
function freshRequest(
  port: number,
  method: string,
  urlPath: string,
  body?: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = body
      ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }
      : {};
    const req = http.request({ host: '127.0.0.1', port, method, path: urlPath, agent: false, headers }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('CLUSTER_WORKERS=2 (the real process)', function () {
  this.timeout(120_000);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'portico-cluster-'));
  let app: Child | undefined;
  after(() => {
    app?.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves from two workers on one port, replaces a killed worker, and drains them all on SIGTERM', async () => {
    const admin = { email: 'root@example.com', password: 'root password 1' };
    app = startMain(
      {
        NODE_ENV: 'test',
        HOST: '127.0.0.1',
        PORT: '0',
        DB_DRIVER: 'sqlite',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'info',
        CLUSTER_WORKERS: '2',
        BCRYPT_COST: '13',
        ADMIN_EMAIL: admin.email,
        ADMIN_PASSWORD: admin.password,
      },
      { limitMs: 110_000 },
    );
    const lines = () => app!.records<LogLine>();
    await Promise.race([until(() => listening(lines()).length === 2, { everyMs: 50 }), app.finished]);
    const [first, second] = listening(lines());
    expect(first!.pid, app.output()).to.not.equal(second!.pid);
    expect(first!.port).to.equal(second!.port);
    const port = first!.port!;

    process.kill(first!.pid, 'SIGKILL');
    await until(() => listening(lines()).length === 3, { everyMs: 50 });
    const replacement = listening(lines())[2]!;
    expect([first!.pid, second!.pid]).to.not.include(replacement.pid);
    expect(lines().find((l) => l.msg === 'worker exited: replacing it')).to.include({ workerPid: first!.pid });

    // Fresh connections go round robin: the new worker is among those answering.
    const meRequests = () => lines().filter((l) => l.msg === 'request' && l.route === '/v1/auth/me');
    const served = () => new Set(meRequests().map((l) => l.pid));
    let asked = 0;
    while (asked < 20 && !served().has(replacement.pid)) {
      expect((await freshRequest(port, 'GET', '/v1/auth/me')).status).to.equal(401);
      asked++;
      await until(() => meRequests().length === asked);
    }
    expect([...served()].sort()).to.deep.equal([second!.pid, replacement.pid].sort());

    // One scrape answers for both workers: every request above is counted, whoever served it.
    const metrics = await freshRequest(port, 'GET', '/metrics');
    expect(metrics.text).to.include(
      `http_request_duration_seconds_count{method="GET",route="/v1/auth/me",status="401"} ${asked}`,
    );

    // A cost-13 login is still running when SIGTERM arrives; its worker finishes it before stopping.
    const inFlight = freshRequest(port, 'POST', '/v1/auth/login', JSON.stringify(admin));
    await sleep(100);
    app.kill('SIGTERM');
    expect((await inFlight).status).to.equal(200);
    expect((await app.finished).code, app.output()).to.equal(0);
    expect(
      lines()
        .filter((l) => l.msg === 'shutting down: draining in-flight requests')
        .map((l) => l.pid)
        .sort(),
    ).to.deep.equal([second!.pid, replacement.pid].sort());
    expect([second!.pid, replacement.pid].filter(alive)).to.deep.equal([]);
  });
});
