import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';

/** Starts `src/main.ts` as `npm start` does and resolves with its port once it logs "listening". */
function startProcess(env: Record<string, string>): Promise<{ child: ChildProcess; port: number; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "listening" line:\n${output}`)), 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"port":(\d+)[^\n]*"msg":"listening"/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, port: Number(match[1]), output: () => output });
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`exited early with ${code}:\n${output}`)));
  });
}

const exitOf = (child: ChildProcess) => new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

describe('graceful shutdown on SIGTERM (the real process)', function () {
  this.timeout(60_000);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'portico-sigterm-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('finishes the request in flight, closes idle keep-alive sockets and exits 0', async () => {
    const credentials = { email: 'root@example.com', password: 'root password 1' };
    const { child, port, output } = await startProcess({
      NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '0', DB_DRIVER: 'sqlite', DATA_DIR: dataDir, LOG_LEVEL: 'info',
      BCRYPT_COST: '13', ADMIN_EMAIL: credentials.email, ADMIN_PASSWORD: credentials.password,
    });
    const exited = exitOf(child);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    let idleSocketClosed = false;
    await new Promise<void>((resolve, reject) => {
      http.get({ port, host: '127.0.0.1', path: '/health/live', agent }, (res) => {
        res.resume();
        res.on('end', () => resolve());
        res.socket.once('close', () => (idleSocketClosed = true));
      }).on('error', reject);
    });

    // A cost-13 bcrypt comparison keeps this login busy for a good fraction of a second.
    const inFlight = fetch(`http://127.0.0.1:${port}/v1/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(credentials),
    });
    await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGTERM');

    const answer = await inFlight;
    expect(answer.status).to.equal(200);
    expect((await answer.json()) as object).to.have.property('accessToken');
    expect(await exited, output()).to.equal(0);
    expect(idleSocketClosed).to.equal(true);
    expect(output()).to.include('shutting down');
    agent.destroy();
  });
});
