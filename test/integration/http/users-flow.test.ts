import { expect } from 'chai';
import { ADMIN, startTestApp, type TestApp } from '../../support/http-app.js';
import { aSignedInUser, expectProblem, login, newAccount, send } from '../../support/http-client.js';

const USER_KEYS = [
  'id',
  'email',
  'name',
  'role',
  'profile',
  'emailVerifiedAt',
  'mfa',
  'status',
  'deletedAt',
  'createdAt',
  'updatedAt',
];
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

function expectUserView(user: Record<string, unknown>): void {
  expect(Object.keys(user)).to.have.members(USER_KEYS);
  expect(user.createdAt).to.match(ISO);
  expect(user.updatedAt).to.match(ISO);
  if (user.emailVerifiedAt !== null) expect(user.emailVerifiedAt).to.match(ISO);
  expect(user.mfa).to.deep.equal({ totp: false });
  expect(JSON.stringify(user)).not.to.match(/passwordHash|\$2[aby]\$/);
}

describe('HTTP users: the whole journey', () => {
  let app: TestApp;
  before(async () => (app = await startTestApp()));
  after(() => app.close());

  it('registers, logs in, reads, replaces, patches, changes the password and deletes', async () => {
    const account = newAccount();
    const reg = await send(app, 'POST', '/v1/auth/register', {
      json: { ...account, email: `  ${account.email.toUpperCase()} ` },
    });
    expect(reg.status, reg.text).to.equal(201);
    expectUserView(reg.body.user);
    expect(reg.body.user).to.include({ email: account.email, role: 'user' });
    const id = reg.body.user.id as string;
    expect(reg.headers.get('location')).to.equal(`/v1/users/${id}`);
    expectProblem(await send(app, 'POST', '/v1/auth/register', { json: account }), 409, 'USER.EMAIL_TAKEN');

    const tokens = await send(app, 'POST', '/v1/auth/login', {
      json: { email: account.email, password: account.password },
    });
    expect(tokens.status).to.equal(200);
    expect(tokens.body).to.include({ tokenType: 'Bearer', expiresIn: 900 });
    expect(tokens.body.accessToken).to.be.a('string');
    expect(tokens.body.refreshToken).to.be.a('string');
    const token = tokens.body.accessToken as string;

    const me = await send(app, 'GET', '/v1/auth/me', { token });
    expect(me.status).to.equal(200);
    expectUserView(me.body.user);
    expect(me.body.user.id).to.equal(id);
    expect((await send(app, 'GET', `/v1/users/${id}`, { token })).body.user.id).to.equal(id);

    const put = await send(app, 'PUT', `/v1/users/${id}`, {
      token,
      json: { email: account.email, name: 'Renamed', profile: { a: 1, b: { c: 2 } } },
    });
    expect(put.status, put.text).to.equal(200);
    expect(put.body.user).to.deep.include({ name: 'Renamed', profile: { a: 1, b: { c: 2 } } });
    expectProblem(
      await send(app, 'PUT', `/v1/users/${id}`, { token, json: { name: 'No email' } }),
      400,
      'REQUEST.INVALID',
    );

    const patch = await send(app, 'PATCH', `/v1/users/${id}`, { token, json: { profile: { a: null, b: { d: 3 } } } });
    expect(patch.status, patch.text).to.equal(200);
    expect(patch.body.user.profile).to.deep.equal({ b: { c: 2, d: 3 } });
    expectUserView(patch.body.user);

    const change = { currentPassword: account.password, newPassword: 'a brand new password' };
    expectProblem(
      await send(app, 'PUT', `/v1/users/${id}/password`, {
        token,
        json: { ...change, currentPassword: 'wrong password!' },
      }),
      403,
      'USER.WRONG_PASSWORD',
    );
    const changed = await send(app, 'PUT', `/v1/users/${id}/password`, { token, json: change });
    expect(changed.status, changed.text).to.equal(204);
    expect(changed.text).to.equal('');
    expectProblem(
      await send(app, 'POST', '/v1/auth/login', { json: { email: account.email, password: account.password } }),
      401,
      'AUTH.INVALID_CREDENTIALS',
    );
    const fresh = await login(app, account.email, change.newPassword);

    const deleted = await send(app, 'DELETE', `/v1/users/${id}`, { token: fresh });
    expect(deleted.status).to.equal(204);
    expectProblem(await send(app, 'GET', '/v1/auth/me', { token: fresh }), 401, 'AUTH.UNAUTHENTICATED');
    // A soft delete: the admin still sees the user, marked, for the restore window; nobody else does.
    const admin = await login(app, ADMIN.email, ADMIN.password);
    const kept = await send(app, 'GET', `/v1/users/${id}`, { token: admin });
    expect(kept.status).to.equal(200);
    expect(kept.body.user.deletedAt).to.be.a('string');
    expectProblem(
      await send(app, 'PATCH', `/v1/users/${id}`, { token: admin, json: { name: 'x' } }),
      404,
      'USER.NOT_FOUND',
    );
  });

  it('lets an admin create, find by email and list users; a user gets 403 on both', async () => {
    const admin = await login(app, ADMIN.email, ADMIN.password);
    const account = newAccount({ role: 'admin', profile: { team: 'ops' } });
    const created = await send(app, 'POST', '/v1/users', { token: admin, json: account });
    expect(created.status, created.text).to.equal(201);
    expect(created.body.user).to.deep.include({ role: 'admin', profile: { team: 'ops' } });
    expect(created.headers.get('location')).to.equal(`/v1/users/${created.body.user.id}`);
    const found = await send(app, 'GET', `/v1/users?email=${encodeURIComponent(account.email.toUpperCase())}`, {
      token: admin,
    });
    expect(found.body.items.map((u: { id: string }) => u.id)).to.deep.equal([created.body.user.id]);
    expect(found.body.nextCursor).to.equal(null);
    found.body.items.forEach(expectUserView);

    const user = await aSignedInUser(app);
    expectProblem(await send(app, 'GET', '/v1/users', { token: user.token }), 403, 'AUTH.FORBIDDEN');
    expectProblem(
      await send(app, 'POST', '/v1/users', { token: user.token, json: newAccount() }),
      403,
      'AUTH.FORBIDDEN',
    );
  });
});

describe('HTTP users: who may do what', () => {
  let app: TestApp;
  before(async () => (app = await startTestApp()));
  after(() => app.close());

  it('refuses a role change by a non-admin with 403 and leaves the role alone', async () => {
    const user = await aSignedInUser(app);
    const res = await send(app, 'PATCH', `/v1/users/${user.id}`, {
      token: user.token,
      json: { role: 'admin', name: 'Sneaky' },
    });
    expectProblem(res, 403, 'AUTH.FORBIDDEN');
    const after = await send(app, 'GET', `/v1/users/${user.id}`, { token: user.token });
    expect(after.body.user).to.include({ role: 'user', name: user.name });
    expectProblem(
      await send(app, 'PUT', `/v1/users/${user.id}`, {
        token: user.token,
        json: { email: user.email, name: 'x', profile: {}, role: 'admin' },
      }),
      400,
      'REQUEST.INVALID',
    );
  });

  it('lets an admin change a role', async () => {
    const user = await aSignedInUser(app);
    const admin = await login(app, ADMIN.email, ADMIN.password);
    const res = await send(app, 'PATCH', `/v1/users/${user.id}`, { token: admin, json: { role: 'admin' } });
    expect(res.status, res.text).to.equal(200);
    expect(res.body.user.role).to.equal('admin');
  });

  it("answers 404 for another user's id, whatever the method, and changes nothing", async () => {
    const alice = await aSignedInUser(app);
    const bob = await aSignedInUser(app);
    const path = `/v1/users/${bob.id}`;
    expectProblem(await send(app, 'GET', path, { token: alice.token }), 404, 'USER.NOT_FOUND');
    expectProblem(
      await send(app, 'PATCH', path, { token: alice.token, json: { name: 'Owned' } }),
      404,
      'USER.NOT_FOUND',
    );
    expectProblem(
      await send(app, 'PUT', path, { token: alice.token, json: { email: bob.email, name: 'Owned', profile: {} } }),
      404,
      'USER.NOT_FOUND',
    );
    expectProblem(await send(app, 'DELETE', path, { token: alice.token }), 404, 'USER.NOT_FOUND');
    expectProblem(
      await send(app, 'PUT', `${path}/password`, {
        token: alice.token,
        json: { currentPassword: 'x', newPassword: 'another password' },
      }),
      404,
      'USER.NOT_FOUND',
    );
    const still = await send(app, 'GET', path, { token: bob.token });
    expect(still.body.user.name).to.equal(bob.name);
  });

  it('answers 401 with a Bearer challenge to a missing, foreign or garbage token', async () => {
    const missing = await send(app, 'GET', '/v1/auth/me');
    expectProblem(missing, 401, 'AUTH.UNAUTHENTICATED');
    expect(missing.headers.get('www-authenticate')).to.equal('Bearer');
    const basic = await send(app, 'GET', '/v1/users', { headers: { authorization: 'Basic YWRtaW46YWRtaW4=' } });
    expectProblem(basic, 401, 'AUTH.UNAUTHENTICATED');
    expect(basic.headers.get('www-authenticate')).to.equal('Bearer');
    for (const token of ['garbage', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', 'a'.repeat(9000)]) {
      const res = await send(app, 'GET', '/v1/auth/me', { token });
      expectProblem(res, 401, 'AUTH.UNAUTHENTICATED');
      expect(res.headers.get('www-authenticate')).to.equal('Bearer error="invalid_token"');
    }
  });

  it('answers 401 before validating anything for an anonymous caller', async () => {
    expectProblem(await send(app, 'POST', '/v1/users', { json: { nonsense: true } }), 401, 'AUTH.UNAUTHENTICATED');
  });

  it('gives the same 401 body for an unknown email and a wrong password', async () => {
    const user = await aSignedInUser(app);
    const unknown = await send(app, 'POST', '/v1/auth/login', {
      json: { email: 'nobody@example.com', password: 'whatever123' },
    });
    const wrong = await send(app, 'POST', '/v1/auth/login', { json: { email: user.email, password: 'whatever123' } });
    expectProblem(unknown, 401, 'AUTH.INVALID_CREDENTIALS');
    expectProblem(wrong, 401, 'AUTH.INVALID_CREDENTIALS');
    const { requestId: _a, ...a } = unknown.body;
    const { requestId: _b, ...b } = wrong.body;
    expect(a).to.deep.equal(b);
  });
});

describe('HTTP users: login throttling', () => {
  it('answers 429 with Retry-After once an account has too many failures', async () => {
    const app = await startTestApp({
      env: { LOGIN_MAX_FAILURES_PER_ACCOUNT: '2', LOGIN_MAX_FAILURES_PER_CLIENT: '100', LOGIN_THROTTLE_WINDOW_S: '30' },
    });
    const user = await aSignedInUser(app);
    const wrong = { email: user.email, password: 'not the password' };
    for (let i = 0; i < 2; i++)
      expectProblem(await send(app, 'POST', '/v1/auth/login', { json: wrong }), 401, 'AUTH.INVALID_CREDENTIALS');
    const res = await send(app, 'POST', '/v1/auth/login', { json: { email: user.email, password: user.password } });
    await app.close();
    expectProblem(res, 429, 'AUTH.THROTTLED');
    expect(Number(res.headers.get('retry-after'))).to.be.within(1, 30);
  });
});
