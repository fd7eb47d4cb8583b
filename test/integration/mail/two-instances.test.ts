import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { SQL_BACKENDS } from '../../support/backends.js';
import { send } from '../../support/http-client.js';
import { MONGO_BACKEND } from '../../support/mongo.js';
import { startPortico, type Portico } from '../../support/portico.js';
import { startSmtp } from '../../support/smtp-servers.js';
import { until } from '../../support/until.js';

const USERS = 24;

/**
 * Two servers on one database, each with its own sender loop, delivering to one SMTP server: every
 * message goes out, and none twice (claims are exclusive across processes).
 */
for (const backend of [...SQL_BACKENDS, MONGO_BACKEND]) {
  describe(`two instances on one ${backend.name} database`, function () {
    this.timeout(60_000);

    it('send each queued message exactly once between them', async function () {
      const prepared = await backend.prepare(this);
      const smtp = await startSmtp();
      // SQLite: both on one file, as two processes of one host would be.
      const dataDir = mkdtempSync(path.join(os.tmpdir(), 'portico-two-'));
      const apps: Portico[] = [];
      try {
        const env = {
          ...prepared.env,
          DATA_DIR: dataDir,
          MAIL_DRIVER: 'smtp',
          SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
          MAIL_SEND_INTERVAL_MS: '20',
          PUBLIC_APP_URL: 'https://app.example.test',
        };
        apps.push(await startPortico(env));
        apps.push(await startPortico(env));
        const emails = Array.from({ length: USERS }, (_, i) => `twin-${i}@example.com`);
        const answers = await Promise.all(
          emails.map((email, i) =>
            send(apps[i % 2]!, 'POST', '/v1/auth/register', {
              json: { email, password: 'two instances 1', name: 'T' },
            }),
          ),
        );
        expect(answers.map((a) => a.status)).to.deep.equal(emails.map(() => 201));
        await until(() => smtp.received.length >= USERS, { withinMs: 20_000 });
        // Rounds enough for a double send to show.
        await new Promise((r) => setTimeout(r, 300));
        const recipients = smtp.received.flatMap((m) => m.to).sort();
        expect(recipients).to.deep.equal([...emails].sort());
      } finally {
        for (const app of apps) await app.stop();
        await smtp.close();
        await prepared.dispose();
        rmSync(dataDir, { recursive: true, force: true });
      }
    });
  });
}
