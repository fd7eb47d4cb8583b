import { expect } from 'chai';
import { CreateUserBody } from '../../../src/adapters/http/schemas/users.js';
import { GetUser } from '../../../src/application/users/get-user.js';
import { DomainError } from '../../../src/domain/errors.js';
import type { User } from '../../../src/domain/user/user.js';
import { ADMIN, startTestApp, type TestApp } from '../../support/http-app.js';
import { aSignedInUser, expectProblem, login, newAccount, send } from '../../support/http-client.js';

const LIMIT = 1024 * 1024;

/** A syntactically valid registration whose body is exactly `bytes` long. */
function registrationOfSize(email: string, bytes: number): string {
  const head = JSON.stringify({ email, password: 'correct horse battery', name: '' }).slice(0, -2);
  return `${head}${'x'.repeat(bytes - head.length - 2)}"}`;
}

describe('HTTP edge: bodies and validation', () => {
  let app: TestApp;
  before(async () => (app = await startTestApp()));
  after(() => app.close());

  it('answers 400 REQUEST.INVALID to malformed JSON without quoting it', async () => {
    const res = await send(app, 'POST', '/v1/auth/register', { raw: '{"email":"a@b.co","password":"hunter2-hunter2' });
    expectProblem(res, 400, 'REQUEST.INVALID');
    expect(res.text).not.to.include('hunter2');
  });

  it('answers 413 to 1 MiB + 1 byte and writes nothing, but parses exactly 1 MiB', async () => {
    const email = `big-${Date.now()}@example.com`;
    const tooBig = registrationOfSize(email, LIMIT + 1);
    expect(Buffer.byteLength(tooBig)).to.equal(LIMIT + 1);
    expectProblem(await send(app, 'POST', '/v1/auth/register', { raw: tooBig }), 413, 'REQUEST.TOO_LARGE');
    expect(await app.users.findByEmail(email)).to.equal(null);
    // At the limit the parser accepts it; the 200-character name rule is what refuses it.
    const atLimit = await send(app, 'POST', '/v1/auth/register', { raw: registrationOfSize(email, LIMIT) });
    expectProblem(atLimit, 400, 'REQUEST.INVALID');
    expect(atLimit.body.errors).to.deep.equal([
      { path: 'name', message: 'Too big: expected string to have <=200 characters' },
    ]);
  });

  it('answers 400 to operator objects in string fields, at register and at login', async () => {
    const reg = await send(app, 'POST', '/v1/auth/register', {
      json: { email: { $ne: null }, password: 'correct horse battery', name: { $gt: '' } },
    });
    expectProblem(reg, 400, 'REQUEST.INVALID');
    expect(reg.body.errors.map((e: { path: string }) => e.path)).to.have.members(['email', 'name']);
    const res = await send(app, 'POST', '/v1/auth/login', { json: { email: ADMIN.email, password: { $ne: null } } });
    expectProblem(res, 400, 'REQUEST.INVALID');
  });

  it('refuses __proto__ and constructor keys and creates nobody', async () => {
    const email = `proto-${Date.now()}@example.com`;
    const base = `"email":"${email}","password":"correct horse battery","name":"P"`;
    expectProblem(
      await send(app, 'POST', '/v1/auth/register', { raw: `{${base},"__proto__":{"role":"admin"}}` }),
      400,
      'REQUEST.INVALID',
    );
    const ctor = await send(app, 'POST', '/v1/auth/register', { raw: `{${base},"constructor":{"name":"x"}}` });
    expectProblem(ctor, 400, 'REQUEST.INVALID');
    expect(ctor.body.errors).to.deep.equal([{ path: 'constructor', message: 'unknown field' }]);
    expect(await app.users.findByEmail(email)).to.equal(null);
  });

  it('has schemas that reject an own __proto__ key even when a parser lets one through', () => {
    const parsed: unknown = JSON.parse(
      '{"email":"a@b.co","password":"correct horse battery","name":"P","__proto__":{"role":"admin"}}',
    );
    expect(Object.hasOwn(parsed as object, '__proto__')).to.equal(true);
    const result = CreateUserBody.safeParse(parsed);
    expect(result.success).to.equal(false);
    expect(result.error?.issues[0]).to.include({ code: 'unrecognized_keys' });
  });

  it('refuses unknown fields, naming each one', async () => {
    const account = newAccount({ role: 'admin', isAdmin: true });
    const res = await send(app, 'POST', '/v1/auth/register', { json: account });
    expectProblem(res, 400, 'REQUEST.INVALID');
    expect(res.body.errors).to.deep.equal([
      { path: 'role', message: 'unknown field' },
      { path: 'isAdmin', message: 'unknown field' },
    ]);
    expect(await app.users.findByEmail(account.email)).to.equal(null);
  });

  it('lists every problem of a body at once, domain rules included', async () => {
    const res = await send(app, 'POST', '/v1/auth/register', {
      json: { email: 'not-an-email', password: 'short', name: 42 },
    });
    expectProblem(res, 400, 'REQUEST.INVALID');
    expect(res.body.errors.map((e: { path: string }) => e.path)).to.have.members(['email', 'password', 'name']);
  });

  it('answers 415 to bodies that are not JSON, and takes merge patches on PATCH', async () => {
    const form = await send(app, 'POST', '/v1/auth/register', {
      raw: 'email=a@b.co',
      contentType: 'application/x-www-form-urlencoded',
    });
    expectProblem(form, 415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE');
    const text = await send(app, 'POST', '/v1/auth/login', { raw: JSON.stringify(ADMIN), contentType: 'text/plain' });
    expectProblem(text, 415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE');
    const user = await aSignedInUser(app);
    const patch = await send(app, 'PATCH', `/v1/users/${user.id}`, {
      token: user.token,
      raw: JSON.stringify({ name: 'Merged' }),
      contentType: 'application/merge-patch+json',
    });
    expect(patch.status, patch.text).to.equal(200);
    expect(patch.body.user.name).to.equal('Merged');
    const mergeOnPost = await send(app, 'POST', '/v1/auth/login', {
      raw: JSON.stringify(ADMIN),
      contentType: 'application/merge-patch+json',
    });
    expectProblem(mergeOnPost, 415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers 400 to a POST without a body', async () => {
    const res = await send(app, 'POST', '/v1/auth/login');
    expectProblem(res, 400, 'REQUEST.INVALID');
  });

  it('answers 404 USER.NOT_FOUND to a malformed id, as to an unknown one', async () => {
    const token = await login(app, ADMIN.email, ADMIN.password);
    expectProblem(await send(app, 'GET', '/v1/users/not-a-uuid', { token }), 404, 'USER.NOT_FOUND');
    expectProblem(
      await send(app, 'GET', '/v1/users/0190a5d0-0000-7000-8000-000000000000', { token }),
      404,
      'USER.NOT_FOUND',
    );
  });

  it('checks ?limit (1..100, default 20) and pages with ?cursor', async () => {
    const token = await login(app, ADMIN.email, ADMIN.password);
    for (const limit of ['0', '101', 'abc', '1.5']) {
      const res = await send(app, 'GET', `/v1/users?limit=${limit}`, { token });
      expectProblem(res, 400, 'REQUEST.INVALID');
      expect(res.body.errors[0].path).to.equal('limit');
    }
    await aSignedInUser(app);
    const first = await send(app, 'GET', '/v1/users?limit=1', { token });
    expect(first.body.items).to.have.length(1);
    expect(first.body.nextCursor).to.be.a('string');
    const second = await send(app, 'GET', `/v1/users?limit=1&cursor=${first.body.nextCursor}`, { token });
    expect(second.body.items[0].id).not.to.equal(first.body.items[0].id);
    const all = await send(app, 'GET', '/v1/users', { token });
    expect(all.body.items.length).to.be.greaterThan(1).and.at.most(20);
    expectProblem(await send(app, 'GET', '/v1/users?cursor=garbage', { token }), 400, 'REQUEST.INVALID');
  });

  it('answers 404 ROUTE.NOT_FOUND to an unknown path and 405 with Allow to a wrong method', async () => {
    expectProblem(await send(app, 'GET', '/v1/nothing-here'), 404, 'ROUTE.NOT_FOUND');
    const res = await send(app, 'DELETE', '/v1/users');
    expectProblem(res, 405, 'REQUEST.METHOD_NOT_ALLOWED');
    expect(res.headers.get('allow')?.split(/,\s*/)).to.include.members(['GET', 'POST']);
    expectProblem(await send(app, 'PROPFIND', '/v1/users'), 501, 'REQUEST.NOT_IMPLEMENTED');
  });
});

describe('HTTP edge: failures of the core', () => {
  const failingGetUser = (error: Error) =>
    new (class extends GetUser {
      override async execute(): Promise<User> {
        throw error;
      }
    })(null as never);

  it('answers an unknown error with a generic 500 that says nothing about it', async () => {
    const app = await startTestApp({
      override: (c) =>
        c.rebind(GetUser).toConstantValue(failingGetUser(new Error('relation "users" at /srv/db.ts:12 SELECT secret'))),
    });
    const user = await aSignedInUser(app);
    const res = await send(app, 'GET', '/v1/auth/me', { token: user.token });
    await app.close();
    expectProblem(res, 500, 'INTERNAL');
    expect(res.text).not.to.match(/relation|SELECT|srv|secret/);
    expect(app.logs.join('')).to.include('relation \\"users\\"');
  });

  it('answers DB.UNAVAILABLE with 503 and Retry-After, and a fixed detail', async () => {
    const error = new DomainError('DB.UNAVAILABLE', 'ECONNREFUSED 10.0.0.5:5432', undefined, 3);
    const app = await startTestApp({ override: (c) => c.rebind(GetUser).toConstantValue(failingGetUser(error)) });
    const user = await aSignedInUser(app);
    const res = await send(app, 'GET', '/v1/auth/me', { token: user.token });
    await app.close();
    expectProblem(res, 503, 'DB.UNAVAILABLE');
    expect(res.headers.get('retry-after')).to.equal('3');
    expect(res.text).not.to.include('ECONNREFUSED');
  });
});
