import { randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { expect } from 'chai';
import { MEMORY_BACKEND, SQL_BACKENDS, usePortico, type Backend } from '../../support/backends.js';
import { bearer, streamRequest } from '../../support/file-http.js';
import { aSignedInUser, expectProblem, login, newAccount, send, type Answer } from '../../support/http-client.js';
import { MONGO_BACKEND } from '../../support/mongo.js';
import { PORTICO_ADMIN } from '../../support/portico.js';

const BACKENDS: Backend[] = [MEMORY_BACKEND, ...SQL_BACKENDS, MONGO_BACKEND];
const keyed = (key: string) => ({ 'Idempotency-Key': key });

/** The same answer again: status, JSON body and Location. */
function expectSameAnswer(again: Answer, first: Answer): void {
  expect(again.status, again.text).to.equal(first.status);
  expect(again.body).to.deep.equal(first.body);
  expect(again.headers.get('location')).to.equal(first.headers.get('location'));
}

for (const backend of BACKENDS) {
  describe(`Idempotency-Key on ${backend.name}`, function () {
    this.timeout(30_000);
    const app = usePortico(backend, { FILE_STORE: 'memory' });

    const usersWithEmail = async (email: string) => {
      const admin = await login(app, PORTICO_ADMIN.email, PORTICO_ADMIN.password);
      const res = await send(app, 'GET', `/v1/users?email=${encodeURIComponent(email)}`, { token: admin });
      expect(res.status, res.text).to.equal(200);
      return res.body.items as unknown[];
    };
    const filesNamed = async (token: string, name: string) => {
      const res = await send(app, 'GET', '/v1/files?limit=100', { token });
      return (res.body.items as Array<{ name: string }>).filter((f) => f.name === name);
    };

    it('replays a registration to a retry with the same key and body: the same 201, body and Location, one user', async () => {
      const account = newAccount();
      const key = randomUUID();
      const first = await send(app, 'POST', '/v1/auth/register', { json: account, headers: keyed(key) });
      expect(first.status, first.text).to.equal(201);
      expect(first.headers.get('location')).to.equal(`/v1/users/${first.body.user.id}`);
      const reordered = { name: account.name, password: account.password, email: account.email };
      const again = await send(app, 'POST', '/v1/auth/register', { json: reordered, headers: keyed(key) });
      expectSameAnswer(again, first);
      expect(await usersWithEmail(account.email)).to.have.length(1);
    });

    it('refuses the same key with a different body with 422 IDEMPOTENCY.KEY_REUSED, creating nothing', async () => {
      const key = randomUUID();
      const first = await send(app, 'POST', '/v1/auth/register', { json: newAccount(), headers: keyed(key) });
      expect(first.status, first.text).to.equal(201);
      const other = newAccount();
      const res = await send(app, 'POST', '/v1/auth/register', { json: other, headers: keyed(key) });
      expectProblem(res, 422, 'IDEMPOTENCY.KEY_REUSED');
      expect(await usersWithEmail(other.email)).to.have.length(0);
    });

    it('runs one of two concurrent requests with one key: a 201 and a 409 IN_FLIGHT (or the same 201 twice)', async () => {
      const account = newAccount();
      const key = randomUUID();
      const [a, b] = await Promise.all(
        [0, 1].map(() => send(app, 'POST', '/v1/auth/register', { json: account, headers: keyed(key) })),
      );
      const [created, other] = a!.status === 201 ? [a!, b!] : [b!, a!];
      expect(created.status, created.text).to.equal(201);
      if (other.status === 409) expectProblem(other, 409, 'IDEMPOTENCY.IN_FLIGHT');
      else expectSameAnswer(other, created);
      expect(await usersWithEmail(account.email)).to.have.length(1);
    });

    it('keeps keys per caller: the same key and body from another caller is a request of its own', async () => {
      const admin = await login(app, PORTICO_ADMIN.email, PORTICO_ADMIN.password);
      const alice = await aSignedInUser(app);
      const key = randomUUID();
      const json = newAccount();
      const created = await send(app, 'POST', '/v1/users', { token: admin, json, headers: keyed(key) });
      expect(created.status, created.text).to.equal(201);
      const refused = await send(app, 'POST', '/v1/users', { token: alice.token, json, headers: keyed(key) });
      expectProblem(refused, 403, 'AUTH.FORBIDDEN');
      const body = { name: 'plan.bin', contentType: 'application/octet-stream', size: 10 };
      const uploadKey = randomUUID();
      const mine = await send(app, 'POST', '/v1/files/uploads', {
        token: alice.token,
        json: body,
        headers: keyed(uploadKey),
      });
      expect(mine.status, mine.text).to.equal(201);
      const bob = await aSignedInUser(app);
      const his = await send(app, 'POST', '/v1/files/uploads', {
        token: bob.token,
        json: body,
        headers: keyed(uploadKey),
      });
      expect(his.status, his.text).to.equal(201);
      expect(his.body.file.id).to.not.equal(mine.body.file.id);
      const again = await send(app, 'POST', '/v1/files/uploads', {
        token: bob.token,
        json: body,
        headers: keyed(uploadKey),
      });
      expectSameAnswer(again, his);
      expect(await filesNamed(bob.token, 'plan.bin')).to.have.length(1);
    });

    it('replays a 4xx answer too: 409 USER.EMAIL_TAKEN stays the answer after the email is free again', async () => {
      const taken = await aSignedInUser(app);
      const key = randomUUID();
      const json = newAccount({ email: taken.email });
      const first = await send(app, 'POST', '/v1/auth/register', { json, headers: keyed(key) });
      expectProblem(first, 409, 'USER.EMAIL_TAKEN');
      const gone = await send(app, 'DELETE', `/v1/users/${taken.id}`, { token: taken.token });
      expect(gone.status, gone.text).to.equal(204);
      const again = await send(app, 'POST', '/v1/auth/register', { json, headers: keyed(key) });
      expect(again.status).to.equal(409);
      expect(again.headers.get('content-type')).to.match(/^application\/problem\+json/);
      expect(again.body).to.deep.equal(first.body);
    });

    it('replays a streamed upload without reading its body, and keeps one file', async () => {
      const alice = await aSignedInUser(app);
      const key = randomUUID();
      const headers = {
        ...bearer(alice.token),
        ...keyed(key),
        'content-type': 'text/plain',
        'content-length': '10',
      };
      const first = await streamRequest(app.url, '/v1/files?name=once.txt', {
        headers,
        body: new PassThrough().end('0123456789'),
      });
      expect(first.status, first.text).to.equal(201);
      // Half a body that never ends: only an answer given without reading it can arrive.
      const stalled = new PassThrough();
      stalled.write('01234');
      const again = await streamRequest(app.url, '/v1/files?name=once.txt', { headers, body: stalled });
      stalled.end('56789');
      expect(again.status, again.text).to.equal(201);
      expect(again.body).to.deep.equal(first.body);
      expect(again.headers.location).to.equal(first.headers.location);
      expect(await filesNamed(alice.token, 'once.txt')).to.have.length(1);
    });

    it('answers 400 REQUEST.INVALID for a malformed key, before anything runs', async () => {
      for (const bad of ['x'.repeat(256), 'two words']) {
        const account = newAccount();
        const res = await send(app, 'POST', '/v1/auth/register', { json: account, headers: keyed(bad) });
        expectProblem(res, 400, 'REQUEST.INVALID');
        expect(await usersWithEmail(account.email)).to.have.length(0);
      }
    });

    it('behaves as before without the header: two requests, two users', async () => {
      const admin = await login(app, PORTICO_ADMIN.email, PORTICO_ADMIN.password);
      const first = await send(app, 'POST', '/v1/users', { token: admin, json: newAccount() });
      const second = await send(app, 'POST', '/v1/users', { token: admin, json: newAccount() });
      expect([first.status, second.status]).to.deep.equal([201, 201]);
      expect(first.body.user.id).to.not.equal(second.body.user.id);
    });
  });
}
