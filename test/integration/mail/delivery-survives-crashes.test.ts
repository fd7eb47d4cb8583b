import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { SQL_BACKENDS } from '../../support/backends.js';
import { newPrivateKeyPem } from '../../support/fakes.js';
import { MONGO_BACKEND } from '../../support/mongo.js';
import { startSilentServer, startSmtp } from '../../support/smtp-servers.js';
import { listeningPort, startMain, type Child } from '../../support/start-child.js';
import { until } from '../../support/until.js';

const APP_URL = 'https://app.example.test';
/** The token of the link to `page` in a raw message (quoted-printable undone: soft breaks, `=3D`). */
const tokenIn = (raw: string, page: string) => {
  const text = raw
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  const match = new RegExp(`${APP_URL}/${page}\\?token=([A-Za-z0-9_%-]+)`).exec(text)?.[1];
  return match && decodeURIComponent(match);
};

/**
 * `npm start` (src/main.ts) in processes of its own, killed with SIGKILL: no shutdown hook runs, so
 * whatever survives is what the database kept. The mail a request queued must still go out, once.
 */
for (const backend of [...SQL_BACKENDS, MONGO_BACKEND]) {
  describe(`mail queued before a crash is sent after it, on ${backend.name}`, function () {
    this.timeout(60_000);
    let env: Record<string, string>;
    let dispose: () => Promise<void>;
    let dataDir: string;
    const children: Child[] = [];

    before(async function () {
      const prepared = await backend.prepare(this);
      dispose = prepared.dispose;
      dataDir = mkdtempSync(path.join(os.tmpdir(), 'portico-crash-'));
      env = {
        ...prepared.env,
        NODE_ENV: 'test',
        HOST: '127.0.0.1',
        PORT: '0',
        DATA_DIR: dataDir,
        DB_MIGRATE_ON_START: 'true',
        BCRYPT_COST: '4',
        JWT_PRIVATE_KEY: newPrivateKeyPem(),
        PUBLIC_APP_URL: APP_URL,
        ACCOUNT_RESPONSE_FLOOR_MS: '0',
        MAIL_DRIVER: 'smtp',
        MAIL_FROM: 'Portico <no-reply@portico.test>',
      };
    });
    after(async () => {
      for (const child of children) child.kill('SIGKILL');
      await Promise.all(children.map((c) => c.finished));
      await dispose?.();
      rmSync(dataDir, { recursive: true, force: true });
    });

    const start = async (extra: Record<string, string>) => {
      const child = startMain({ ...env, ...extra }, { limitMs: 50_000 });
      children.push(child);
      const port = await listeningPort(child);
      return { child, url: `http://127.0.0.1:${port}` };
    };
    const post = (url: string, json: object) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(json) });

    it('delivers a mail whose process died between the commit and the send, and only once', async () => {
      const smtp = await startSmtp();
      try {
        // The sender loop is off: the request commits the user, the token and the mail, nothing sends it.
        const first = await start({ MAIL_SEND_INTERVAL_MS: '0', SMTP_URL: `smtp://127.0.0.1:${smtp.port}` });
        const email = `crash-${backend.name.toLowerCase()}@example.com`;
        const reg = await post(`${first.url}/v1/auth/register`, { email, password: 'crash test 1', name: 'C' });
        expect(reg.status).to.equal(201);
        first.child.kill('SIGKILL');
        await first.child.finished;
        expect(smtp.received).to.have.length(0);

        const second = await start({ MAIL_SEND_INTERVAL_MS: '100', SMTP_URL: `smtp://127.0.0.1:${smtp.port}` });
        await until(() => smtp.received.length > 0, { withinMs: 10_000 });
        // A few more rounds: nothing is sent twice.
        await new Promise((r) => setTimeout(r, 500));
        expect(smtp.received.map((m) => m.to)).to.deep.equal([[email]]);
        const token = tokenIn(smtp.received[0]!.raw, 'verify-email');
        expect(token).to.be.a('string');
        const verify = await post(`${second.url}/v1/auth/email/verify`, { token });
        expect(verify.status).to.equal(204);
        second.child.kill('SIGKILL');
        await second.child.finished;
      } finally {
        await smtp.close();
      }
    });

    it('delivers a mail whose sender died holding its claim, once the claim has lapsed', async () => {
      const silent = await startSilentServer();
      const smtp = await startSmtp();
      try {
        // The first process claims the mail and hangs on an SMTP server that never greets; then dies.
        const first = await start({
          MAIL_SEND_INTERVAL_MS: '100',
          MAIL_CLAIM_TTL_MS: '2000',
          SMTP_URL: `smtp://127.0.0.1:${silent.port}`,
          SMTP_CONNECT_TIMEOUT_MS: '60000',
        });
        const email = `claimed-${backend.name.toLowerCase()}@example.com`;
        const reg = await post(`${first.url}/v1/auth/register`, { email, password: 'crash test 2', name: 'D' });
        expect(reg.status).to.equal(201);
        await until(() => silent.connections() > 0, { withinMs: 10_000 });
        first.child.kill('SIGKILL');
        await first.child.finished;

        expect(silent.connections(), 'the first process tried to send').to.be.greaterThan(0);
        const second = await start({ MAIL_SEND_INTERVAL_MS: '100', SMTP_URL: `smtp://127.0.0.1:${smtp.port}` });
        await until(() => smtp.received.some((m) => m.to.includes(email)), { withinMs: 15_000 });
        await new Promise((r) => setTimeout(r, 500));
        expect(smtp.received.filter((m) => m.to.includes(email))).to.have.length(1);
        // Before the server is closed: it waits for the connections a live sender keeps open.
        second.child.kill('SIGKILL');
        await second.child.finished;
      } finally {
        await smtp.close();
        await silent.close();
      }
    });
  });
}
