import { gzipSync } from 'node:zlib';
import { expect } from 'chai';
import { MEMORY_BACKEND, SQL_BACKENDS, usePortico } from '../../support/backends.js';
import { MONGO_BACKEND } from '../../support/mongo.js';
import { aSignedInUser, expectProblem, login, newAccount, send, type Answer } from '../../support/http-client.js';
import { PORTICO_ADMIN } from '../../support/portico.js';

/** `{"a":{"a":...{}...}}`, `levels` objects deep, as text: JSON.stringify could not build it. */
const nestedObject = (levels: number) => `${'{"a":'.repeat(levels - 1)}{}${'}'.repeat(levels - 1)}`;

/** The problem's field paths. */
const pathsOf = (res: Answer) => (res.body.errors ?? []).map((e: { path: string }) => e.path) as string[];

for (const backend of [MEMORY_BACKEND, ...SQL_BACKENDS, MONGO_BACKEND]) {
  describe(`HTTP hostile input on ${backend.name}`, () => {
    const app = usePortico(backend);
    let adminToken: string;

    before(async () => {
      adminToken = await login(app, PORTICO_ADMIN.email, PORTICO_ADMIN.password);
    });

    /** Every user, as `email name`, page by page: what "nothing was created or changed" is checked against. */
    async function everyone(): Promise<string[]> {
      const all: string[] = [];
      let cursor: string | null = null;
      do {
        const res: Answer = await send(app, 'GET', `/v1/users?limit=100${cursor ? `&cursor=${cursor}` : ''}`, {
          token: adminToken,
        });
        expect(res.status, res.text).to.equal(200);
        all.push(...res.body.items.map((u: { email: string; name: string }) => `${u.email} ${u.name}`));
        cursor = res.body.nextCursor;
      } while (cursor);
      return all.sort();
    }

    /** Runs `hostile`, and checks afterwards that the user listing is exactly as it was. */
    async function changesNothing(hostile: () => Promise<void>) {
      const before = await everyone();
      await hostile();
      expect(await everyone()).to.deep.equal(before);
    }

    const tryLogin = (email: string, password: string) =>
      send(app, 'POST', '/v1/auth/login', { json: { email, password } });

    describe('deeply nested JSON', () => {
      it('answers 400 REQUEST.INVALID to a profile nested 10,000 deep (admin create) and creates nobody', async () => {
        const account = newAccount();
        await changesNothing(async () => {
          const raw = `{"email":"${account.email}","password":"${account.password}","name":"Deep","profile":${nestedObject(10_000)}}`;
          expectProblem(await send(app, 'POST', '/v1/users', { raw, token: adminToken }), 400, 'REQUEST.INVALID');
        });
        expectProblem(await tryLogin(account.email, account.password), 401, 'AUTH.INVALID_CREDENTIALS');
      });

      it('answers 400 REQUEST.INVALID to a 10,000-deep profile in PUT and merge-patch PATCH, changing nothing', async () => {
        const user = await aSignedInUser(app);
        await changesNothing(async () => {
          const put = `{"email":"${user.email}","name":"Deep","profile":${nestedObject(10_000)}}`;
          expectProblem(
            await send(app, 'PUT', `/v1/users/${user.id}`, { raw: put, token: user.token }),
            400,
            'REQUEST.INVALID',
          );
          const patch = `{"name":"Deep","profile":${nestedObject(10_000)}}`;
          const res = await send(app, 'PATCH', `/v1/users/${user.id}`, {
            raw: patch,
            token: user.token,
            contentType: 'application/merge-patch+json',
          });
          expectProblem(res, 400, 'REQUEST.INVALID');
        });
        const me = await send(app, 'GET', `/v1/users/${user.id}`, { token: user.token });
        expect(me.body.user).to.include({ name: user.name }).and.to.have.deep.property('profile', {});
      });
    });

    describe('Content-Encoding', () => {
      const withEncoding = (path: string, encoding: string, body: Uint8Array | string) =>
        fetch(app.url + path, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-encoding': encoding },
          body: typeof body === 'string' ? body : new Uint8Array(body),
        });
      const answer = async (res: Response): Promise<Answer> => {
        const text = await res.text();
        return { status: res.status, headers: res.headers, text, body: JSON.parse(text) };
      };

      it('answers 400 REQUEST.INVALID to a body labelled gzip that is not gzip', async () => {
        expectProblem(await answer(await withEncoding('/v1/auth/login', 'gzip', '{}')), 400, 'REQUEST.INVALID');
        expectProblem(await answer(await withEncoding('/v1/auth/login', 'deflate', '{}')), 400, 'REQUEST.INVALID');
        expectProblem(await answer(await withEncoding('/v1/auth/login', 'br', '{}')), 400, 'REQUEST.INVALID');
      });

      it('answers 400 REQUEST.INVALID to a truncated gzip registration and creates nobody', async () => {
        const account = newAccount();
        await changesNothing(async () => {
          const whole = gzipSync(JSON.stringify(account));
          const res = await withEncoding('/v1/auth/register', 'gzip', whole.subarray(0, whole.length - 10));
          expectProblem(await answer(res), 400, 'REQUEST.INVALID');
        });
        expectProblem(await tryLogin(account.email, account.password), 401, 'AUTH.INVALID_CREDENTIALS');
      });

      it('still reads a body that really is gzip, and still answers 415 to an unknown encoding', async () => {
        const ok = await withEncoding('/v1/auth/login', 'gzip', gzipSync(JSON.stringify(PORTICO_ADMIN)));
        expect(ok.status, await ok.clone().text()).to.equal(200);
        expect((await ok.json()).accessToken).to.be.a('string');
        expectProblem(
          await answer(await withEncoding('/v1/auth/login', 'x-unknown', '{}')),
          415,
          'REQUEST.UNSUPPORTED_MEDIA_TYPE',
        );
      });
    });

    describe('control characters in text', () => {
      for (const [label, char] of [
        ['NUL', '\u0000'],
        ['U+0001', '\u0001'],
        ['ESC', '\u001b'],
        ['DEL', '\u007f'],
        ['a newline', '\n'],
      ] as const) {
        it(`refuses a name with ${label} at register, naming the field, and creates nobody`, async () => {
          const account = newAccount({ name: `Ada${char}Lovelace` });
          await changesNothing(async () => {
            const res = await send(app, 'POST', '/v1/auth/register', { json: account });
            expectProblem(res, 400, 'REQUEST.INVALID');
            expect(pathsOf(res)).to.deep.equal(['name']);
          });
          expectProblem(await tryLogin(account.email, account.password), 401, 'AUTH.INVALID_CREDENTIALS');
        });

        it(`refuses an email with ${label} at register and at login, naming the field`, async () => {
          const account = newAccount();
          const hostile = account.email.replace('@', `${char}@`);
          await changesNothing(async () => {
            const reg = await send(app, 'POST', '/v1/auth/register', { json: { ...account, email: hostile } });
            expectProblem(reg, 400, 'REQUEST.INVALID');
            expect(pathsOf(reg)).to.deep.equal(['email']);
            const res = await tryLogin(hostile, account.password);
            expectProblem(res, 400, 'REQUEST.INVALID');
            expect(pathsOf(res)).to.deep.equal(['email']);
          });
          expectProblem(await tryLogin(account.email, account.password), 401, 'AUTH.INVALID_CREDENTIALS');
        });
      }

      it('refuses NUL in the name and email of an admin create, a PUT and a PATCH, changing nothing', async () => {
        const user = await aSignedInUser(app);
        await changesNothing(async () => {
          const create = await send(app, 'POST', '/v1/users', {
            token: adminToken,
            json: newAccount({ name: 'A\u0000', email: `nul\u0000${Date.now()}@example.com` }),
          });
          expectProblem(create, 400, 'REQUEST.INVALID');
          expect(pathsOf(create)).to.have.members(['email', 'name']);
          const put = await send(app, 'PUT', `/v1/users/${user.id}`, {
            token: user.token,
            json: { email: `x\u0000${user.email}`, name: 'B\u0000', profile: {} },
          });
          expectProblem(put, 400, 'REQUEST.INVALID');
          expect(pathsOf(put)).to.have.members(['email', 'name']);
          const patch = await send(app, 'PATCH', `/v1/users/${user.id}`, {
            token: user.token,
            json: { name: '\u0000' },
          });
          expectProblem(patch, 400, 'REQUEST.INVALID');
          expect(pathsOf(patch)).to.deep.equal(['name']);
        });
      });

      it('refuses NUL in the email filter of the admin listing', async () => {
        const res = await send(app, 'GET', `/v1/users?email=${encodeURIComponent('a\u0000@example.com')}`, {
          token: adminToken,
        });
        expectProblem(res, 400, 'REQUEST.INVALID');
        expect(pathsOf(res)).to.deep.equal(['email']);
      });

      it('refuses NUL in a password, at register and at login, but takes any other character', async () => {
        const account = newAccount({ password: 'correct\u0000horse battery' });
        await changesNothing(async () => {
          const reg = await send(app, 'POST', '/v1/auth/register', { json: account });
          expectProblem(reg, 400, 'REQUEST.INVALID');
          expect(pathsOf(reg)).to.deep.equal(['password']);
        });
        const res = await tryLogin(PORTICO_ADMIN.email, `${PORTICO_ADMIN.password}\u0000anything`);
        expectProblem(res, 400, 'REQUEST.INVALID');
        expect(pathsOf(res)).to.deep.equal(['password']);

        const tabbed = newAccount({ password: 'correct\thorse\u0001battery' });
        const ok = await send(app, 'POST', '/v1/auth/register', { json: tabbed });
        expect(ok.status, ok.text).to.equal(201);
        expect((await tryLogin(tabbed.email, tabbed.password)).status).to.equal(200);
      });
    });
  });
}
