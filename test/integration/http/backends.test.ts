import { expect } from 'chai';
import { PGBOUNCER_BACKEND, SQL_BACKENDS, usePortico } from '../../support/backends.js';
import { MONGO_BACKEND } from '../../support/mongo.js';
import { aSignedInUser, expectProblem, login, newAccount, send } from '../../support/http-client.js';
import { PORTICO_ADMIN } from '../../support/portico.js';
import { until } from '../../support/until.js';

for (const backend of [...SQL_BACKENDS, PGBOUNCER_BACKEND, MONGO_BACKEND]) {
  describe(`the whole app over HTTP on ${backend.name}`, function () {
    // No restore window and a purge every second: a deleted user's files go within the test.
    const app = usePortico(backend, { USER_RESTORE_DAYS: '0', USER_PURGE_INTERVAL_SECONDS: '1' });
    let adminToken: string;

    before(async () => {
      adminToken = await login(app, PORTICO_ADMIN.email, PORTICO_ADMIN.password);
    });

    const countByEmail = async (email: string) =>
      (await send(app, 'GET', `/v1/users?email=${encodeURIComponent(email)}`, { token: adminToken })).body.items
        .length as number;

    it('is ready and says which store it checked', async () => {
      const ready = await send(app, 'GET', '/health/ready');
      expect(ready.status).to.equal(200);
      expect(ready.body.checks).to.deep.equal({ database: 'ok' });
    });

    it('registers, logs in, reads, replaces, patches, lists and deletes a user', async () => {
      const account = newAccount();
      const reg = await send(app, 'POST', '/v1/auth/register', { json: account });
      expect(reg.status, reg.text).to.equal(201);
      const id = reg.body.user.id as string;
      expect(reg.headers.get('location')).to.equal(`/v1/users/${id}`);
      const { accessToken: token } = (
        await send(app, 'POST', '/v1/auth/login', { json: { email: account.email, password: account.password } })
      ).body;
      expect((await send(app, 'GET', '/v1/auth/me', { token })).body.user.email).to.equal(account.email);

      const put = await send(app, 'PUT', `/v1/users/${id}`, {
        token,
        json: {
          email: account.email,
          name: 'Replaced',
          profile: { city: 'Oslo', tags: ['a', 'ü'], n: { deep: true } },
        },
      });
      expect(put.status, put.text).to.equal(200);
      const patch = await send(app, 'PATCH', `/v1/users/${id}`, {
        token,
        json: { profile: { city: null, n: { more: 1 } } },
        contentType: 'application/merge-patch+json',
      });
      expect(patch.body.user.profile).to.deep.equal({ tags: ['a', 'ü'], n: { deep: true, more: 1 } });
      expect((await send(app, 'GET', `/v1/users/${id}`, { token })).body.user).to.include({ name: 'Replaced' });
      expect(JSON.stringify(patch.body)).to.not.match(/hash/i);

      const page = await send(app, 'GET', '/v1/users?limit=1', { token: adminToken });
      expect(page.body.items).to.have.length(1);
      expect(page.body.nextCursor).to.be.a('string');
      const next = await send(app, 'GET', `/v1/users?limit=100&cursor=${page.body.nextCursor}`, { token: adminToken });
      expect(next.body.items.map((u: { id: string }) => u.id)).to.include(id);

      expect((await send(app, 'DELETE', `/v1/users/${id}`, { token })).status).to.equal(204);
      expectProblem(await send(app, 'GET', '/v1/auth/me', { token }), 401, 'AUTH.UNAUTHENTICATED');
      expect(await countByEmail(account.email)).to.equal(0);
    });

    it('accepts exactly one of 10 concurrent registrations of one email and keeps one row', async () => {
      const account = newAccount();
      const answers = await Promise.all(
        Array.from({ length: 10 }, () => send(app, 'POST', '/v1/auth/register', { json: account })),
      );
      const statuses = answers.map((a) => a.status).sort();
      expect(statuses).to.deep.equal([201, ...Array(9).fill(409)]);
      for (const a of answers.filter((x) => x.status === 409)) expectProblem(a, 409, 'USER.EMAIL_TAKEN');
      expect(await countByEmail(account.email)).to.equal(1);
    });

    it('answers bad input with a 4xx and writes nothing', async () => {
      const account = newAccount();
      const tooBig = JSON.stringify({ ...account, name: 'x'.repeat(1024 * 1024) });
      expectProblem(await send(app, 'POST', '/v1/auth/register', { raw: tooBig }), 413, 'REQUEST.TOO_LARGE');
      expectProblem(
        await send(app, 'POST', '/v1/auth/register', { json: { ...account, email: { $ne: null } } }),
        400,
        'REQUEST.INVALID',
      );
      expectProblem(
        await send(app, 'POST', '/v1/auth/register', { json: { ...account, role: 'admin' } }),
        400,
        'REQUEST.INVALID',
      );
      expectProblem(
        await send(app, 'POST', '/v1/auth/register', { raw: '{"email": ', contentType: 'application/json' }),
        400,
        'REQUEST.INVALID',
      );
      expect(await countByEmail(account.email)).to.equal(0);
    });

    it('uploads, pages, reads, downloads and deletes files, and deleting their owner deletes the rest once the restore window is over', async () => {
      const [alice, bob] = [await aSignedInUser(app), await aSignedInUser(app)];
      const upload = async (n: number) => {
        const res = await send(app, 'POST', `/v1/files?name=f${n}.txt`, {
          token: alice.token,
          raw: `content ${n}`,
          contentType: 'text/plain',
        });
        expect(res.status, res.text).to.equal(201);
        return res.body.file.id as string;
      };
      const ids = [await upload(1), await upload(2), await upload(3)];
      const first = await send(app, 'GET', '/v1/files?limit=2', { token: alice.token });
      const second = await send(app, 'GET', `/v1/files?limit=2&cursor=${first.body.nextCursor}`, {
        token: alice.token,
      });
      const listed = [...first.body.items, ...second.body.items].map((f: { id: string }) => f.id);
      expect([listed, second.body.nextCursor]).to.deep.equal([ids, null]);
      expect((await send(app, 'GET', `/v1/files/${ids[0]}`, { token: alice.token })).body.file).to.include({
        ownerId: alice.id,
        name: 'f1.txt',
        status: 'ready',
        size: 9,
      });
      expect((await send(app, 'GET', `/v1/files/${ids[1]}/content`, { token: alice.token })).text).to.equal(
        'content 2',
      );

      expectProblem(await send(app, 'GET', `/v1/files/${ids[0]}`, { token: bob.token }), 404, 'FILE.NOT_FOUND');
      expect((await send(app, 'GET', '/v1/files', { token: bob.token })).body.items).to.deep.equal([]);
      expectProblem(
        await send(app, 'GET', `/v1/files?ownerId=${encodeURIComponent('{"$ne":null}')}`, { token: adminToken }),
        400,
        'REQUEST.INVALID',
      );

      expect((await send(app, 'DELETE', `/v1/files/${ids[0]}`, { token: alice.token })).status).to.equal(204);
      expectProblem(await send(app, 'GET', `/v1/files/${ids[0]}`, { token: alice.token }), 404, 'FILE.NOT_FOUND');
      expect((await send(app, 'DELETE', `/v1/users/${alice.id}`, { token: alice.token })).status).to.equal(204);
      const filesOfAlice = async () =>
        (await send(app, 'GET', `/v1/files?ownerId=${alice.id}`, { token: adminToken })).body.items as unknown[];
      await until(async () => (await filesOfAlice()).length === 0, { everyMs: 200, withinMs: 10_000 });
      expect(await filesOfAlice()).to.deep.equal([]);
      expectProblem(await send(app, 'GET', `/v1/users/${alice.id}`, { token: adminToken }), 404, 'USER.NOT_FOUND');
      expectProblem(await send(app, 'GET', `/v1/files/${ids[1]}`, { token: adminToken }), 404, 'FILE.NOT_FOUND');
    });

    it('refuses a profile the database could not store faithfully', async () => {
      const account = newAccount({ profile: { bio: 'nul\u0000byte' } });
      const res = await send(app, 'POST', '/v1/users', { token: adminToken, json: account });
      expectProblem(res, 400, 'REQUEST.INVALID');
      expect(await countByEmail(account.email)).to.equal(0);
    });
  });
}
