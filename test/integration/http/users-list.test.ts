import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { signIn } from '../../support/accounts-app.js';
import { MEMORY_BACKEND, SQL_BACKENDS, usePortico } from '../../support/backends.js';
import { expectProblem, login, newAccount, send } from '../../support/http-client.js';
import { MONGO_BACKEND } from '../../support/mongo.js';
import { PORTICO_ADMIN } from '../../support/portico.js';

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const SORTS = ['createdAt', '-createdAt', 'email', '-email', 'name', '-name'] as const;
const WORDS = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy'];

type Query = Record<string, string>;

/** A user as the test made it, to compute by hand what each list must answer. */
interface Made {
  id: string;
  email: string;
  name: string;
  role: 'user' | 'admin';
  status: 'active' | 'disabled';
  deleted: boolean;
  createdAt: string;
}

/** Letters and digits no other user of the run starts with, with letters in it so case can vary. */
const aTag = () => `kq${randomBytes(5).toString('hex')}`;

const listStatus = (u: Made) => (u.deleted ? 'deleted' : u.status);

/** The users of `made` that `query` selects, in its order, as the contract describes them. */
function expected(made: Made[], query: Query): string[] {
  const q = query.q?.toLowerCase();
  const selected = made.filter(
    (u) =>
      (query.status ? listStatus(u) === query.status : !u.deleted) &&
      (!query.role || u.role === query.role) &&
      (q === undefined || u.email.startsWith(q) || u.name.toLowerCase().startsWith(q)) &&
      (!query.createdAfter || u.createdAt > query.createdAfter) &&
      (!query.createdBefore || u.createdAt < query.createdBefore),
  );
  const sort = query.sort ?? 'createdAt';
  const field = sort.replace(/^-/, '') as 'createdAt' | 'email' | 'name';
  const key = (u: Made) => (field === 'name' ? u.name.toLowerCase() : u[field]);
  const sign = sort.startsWith('-') ? -1 : 1;
  return selected.sort((a, b) => sign * (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)).map((u) => u.id);
}

for (const backend of [MEMORY_BACKEND, ...SQL_BACKENDS, MONGO_BACKEND]) {
  describe(`HTTP users on ${backend.name}: the admin list`, function () {
    this.timeout(60_000);
    const app = usePortico(backend);
    let adminToken: string;

    before(async () => {
      adminToken = await login(app, PORTICO_ADMIN.email, PORTICO_ADMIN.password);
    });

    const list = (query: Query, token = adminToken) =>
      send(app, 'GET', `/v1/users?${new URLSearchParams(query).toString()}`, { token });

    /** Every page of `query` at `limit`, following nextCursor; the ids in order and the pages' sizes. */
    async function walk(query: Query, limit: number) {
      const ids: string[] = [];
      let cursor: string | null = null;
      for (let pages = 0; pages < 200; pages++) {
        const res = await list({ ...query, limit: String(limit), ...(cursor ? { cursor } : {}) });
        expect(res.status, `${JSON.stringify(query)} ${res.text}`).to.equal(200);
        expect(res.body.items.length).to.be.at.most(limit);
        ids.push(...(res.body.items as { id: string }[]).map((u) => u.id));
        cursor = res.body.nextCursor as string | null;
        if (cursor === null) return ids;
        expect(cursor).to.be.a('string').and.not.empty;
      }
      throw new Error(`no last page for ${JSON.stringify(query)}`);
    }

    async function make(fields: { email: string; name: string; role?: 'user' | 'admin' }): Promise<Made> {
      const account = newAccount(fields);
      const res = await send(app, 'POST', '/v1/users', { token: adminToken, json: account });
      expect(res.status, res.text).to.equal(201);
      const user = res.body.user as { id: string; email: string; createdAt: string };
      // Distinct creation times, so the strict date filters and the createdAt order have one answer.
      await sleep(3);
      return {
        id: user.id,
        email: user.email,
        name: fields.name,
        role: fields.role ?? 'user',
        status: 'active',
        deleted: false,
        createdAt: user.createdAt,
      };
    }

    async function disable(user: Made) {
      const res = await send(app, 'PATCH', `/v1/users/${user.id}`, { token: adminToken, json: { status: 'disabled' } });
      expect(res.status, res.text).to.equal(200);
      user.status = 'disabled';
    }

    async function remove(user: Made) {
      const res = await send(app, 'DELETE', `/v1/users/${user.id}`, { token: adminToken });
      expect(res.status, res.text).to.equal(204);
      user.deleted = true;
    }

    const caseOf = (text: string, i: number) =>
      i % 3 === 0 ? text.toUpperCase() : i % 3 === 1 ? text : text[0]!.toUpperCase() + text.slice(1);

    describe('over one set of users with every role, status and name case', () => {
      const tag = aTag();
      const made: Made[] = [];

      before(async () => {
        for (let i = 0; i < WORDS.length; i++) {
          made.push(
            await make({
              email: `${tag}.${WORDS[(i * 7) % 10]}@example.com`,
              name: `${caseOf(tag, i)} ${caseOf(WORDS[(i * 3) % 10]!, i + 1)}`,
              role: i % 4 === 0 ? 'admin' : 'user',
            }),
          );
        }
        for (const i of [2, 5, 7]) await disable(made[i]!);
        for (const i of [3, 7, 8]) await remove(made[i]!);
        const times = made.map((u) => u.createdAt);
        expect(new Set(times).size, 'distinct createdAt').to.equal(times.length);
      });

      /** The single big page and the walk two by two both answer exactly what the contract selects. */
      async function expectListed(query: Query) {
        const want = expected(made, query);
        expect(await walk(query, 100), `one page of ${JSON.stringify(query)}`).to.deep.equal(want);
        expect(await walk(query, 2), `pages of 2 of ${JSON.stringify(query)}`).to.deep.equal(want);
      }

      it('gives every item its status and deletedAt', async () => {
        for (const status of ['active', 'disabled', 'deleted']) {
          const res = await list({ q: tag, status, limit: '100' });
          expect(res.status, res.text).to.equal(200);
          for (const item of res.body.items as Record<string, unknown>[]) {
            expect(item.status).to.equal(status === 'deleted' ? made.find((u) => u.id === item.id)!.status : status);
            if (status === 'deleted') expect(item.deletedAt).to.match(ISO);
            else expect(item.deletedAt).to.equal(null);
          }
        }
      });

      it('lists active and disabled users but no deleted ones by default, in creation order', async () => {
        const want = made.filter((u) => !u.deleted).map((u) => u.id);
        expect(await walk({ q: tag }, 100)).to.deep.equal(want);
        expect(await walk({ q: tag, sort: 'createdAt' }, 3)).to.deep.equal(want);
      });

      it('sorts by each field both ways, on one page and across pages', async () => {
        for (const sort of SORTS) await expectListed({ q: tag, sort });
      });

      it('sorts names without regard to case', async () => {
        const names = async (sort: string) => {
          const res = await list({ q: tag, sort, limit: '100' });
          return (res.body.items as { name: string }[]).map((u) => u.name.toLowerCase());
        };
        const ascending = await names('name');
        expect(ascending).to.deep.equal([...ascending].sort());
        expect(await names('-name')).to.deep.equal([...ascending].reverse());
      });

      it('filters by role and by status', async () => {
        for (const role of ['user', 'admin']) await expectListed({ q: tag, role });
        for (const status of ['active', 'disabled', 'deleted']) await expectListed({ q: tag, status });
        expect(expected(made, { q: tag, status: 'deleted' })).to.have.length(3);
      });

      it('filters by creation time, strictly after and strictly before', async () => {
        const at = (i: number) => made[i]!.createdAt;
        await expectListed({ q: tag, createdAfter: at(1) });
        await expectListed({ q: tag, createdBefore: at(6) });
        await expectListed({ q: tag, createdAfter: at(1), createdBefore: at(6) });
        expect(await walk({ q: tag, createdAfter: at(4), createdBefore: at(5) }, 10)).to.deep.equal([]);
        expect(await walk({ q: tag, createdAfter: at(0), createdBefore: at(2) }, 10)).to.deep.equal([made[1]!.id]);
        await expectListed({ q: tag, status: 'deleted', createdAfter: at(3) });
      });

      it('reads a creation time with an offset or without milliseconds as the instant it names', async () => {
        const at = (i: number) => made[i]!.createdAt;
        const plusTwo = (iso: string) => new Date(Date.parse(iso) + 2 * 3600_000).toISOString().replace('Z', '+02:00');
        const minusFive = (iso: string) =>
          new Date(Date.parse(iso) - 5 * 3600_000).toISOString().replace('Z', '-05:00');
        const want = expected(made, { q: tag, createdAfter: at(1), createdBefore: at(6) });
        expect(
          await walk({ q: tag, createdAfter: plusTwo(at(1)), createdBefore: minusFive(at(6)) }, 100),
        ).to.deep.equal(want);
        const wholeSecond = `${at(0).slice(0, 19)}Z`;
        expect(await walk({ q: tag, createdAfter: wholeSecond }, 100)).to.deep.equal(
          expected(made, { q: tag, createdAfter: new Date(Date.parse(wholeSecond)).toISOString() }),
        );
      });

      it('combines role, status, q, dates and sort', async () => {
        const at = (i: number) => made[i]!.createdAt;
        const queries: Query[] = [
          { q: tag, role: 'user', status: 'active', createdAfter: at(0), sort: '-name' },
          { q: tag, role: 'admin', status: 'deleted', sort: 'email' },
          { q: tag, role: 'user', status: 'disabled', createdBefore: at(9), sort: '-email' },
          { q: tag.toUpperCase(), role: 'admin', createdAfter: at(0), createdBefore: at(9), sort: 'name' },
          // `.` is literal: only the email of dave starts with it; a regex would also take the name `... Dave`.
          { q: `${tag}.${WORDS[3]![0]}`, sort: '-createdAt' },
          { q: `${tag} ${WORDS[2]![0]!.toUpperCase()}`, status: 'active' },
        ];
        for (const query of queries) await expectListed(query);
      });

      it('still filters ?email= exactly', async () => {
        const user = made[1]!;
        expect(await walk({ email: user.email.toUpperCase() }, 10)).to.deep.equal([user.id]);
        expect(await walk({ email: user.email.replace('@', 'x@') }, 10)).to.deep.equal([]);
        expect(await walk({ email: made[3]!.email }, 10)).to.deep.equal([]);
      });

      it('takes a cursor back with another limit, and only with its own sort and filters', async () => {
        const query = { q: tag, sort: 'email' };
        const first = await list({ ...query, limit: '2' });
        expect(first.status, first.text).to.equal(200);
        const cursor = first.body.nextCursor as string;
        expect(cursor).to.be.a('string');
        const rest = await list({ ...query, limit: '100', cursor });
        expect(rest.status, rest.text).to.equal(200);
        const seen = [...first.body.items, ...rest.body.items].map((u: { id: string }) => u.id);
        expect(seen).to.deep.equal(expected(made, query));
        expect(rest.body.nextCursor).to.equal(null);

        const others: Query[] = [
          { q: tag, sort: 'name' },
          { q: tag, sort: '-email' },
          { q: tag },
          { sort: 'email' },
          { q: tag.slice(0, -1), sort: 'email' },
          { q: tag, sort: 'email', role: 'user' },
          { q: tag, sort: 'email', status: 'active' },
          { q: tag, sort: 'email', status: 'deleted' },
          { q: tag, sort: 'email', createdAfter: made[0]!.createdAt },
          { q: tag, sort: 'email', createdBefore: made[9]!.createdAt },
        ];
        for (const other of others) expectProblem(await list({ ...other, limit: '2', cursor }), 400, 'REQUEST.INVALID');
      });

      it('refuses a cursor of a filtered list on the unfiltered one', async () => {
        const first = await list({ q: tag, role: 'user', status: 'active', limit: '1' });
        const cursor = first.body.nextCursor as string;
        expect(cursor, first.text).to.be.a('string');
        expectProblem(await list({ q: tag, status: 'active', limit: '1', cursor }), 400, 'REQUEST.INVALID');
        expectProblem(await list({ q: tag, role: 'user', limit: '1', cursor }), 400, 'REQUEST.INVALID');
        expectProblem(await list({ limit: '1', cursor }), 400, 'REQUEST.INVALID');
        expect((await list({ q: tag, role: 'user', status: 'active', limit: '5', cursor })).status).to.equal(200);
      });
    });

    describe('searching with q', () => {
      const tag = aTag();
      const users: Record<string, Made> = {};

      before(async () => {
        users.byEmail = await make({ email: `${tag}alistair@example.com`, name: 'Someone Else' });
        users.byName = await make({ email: `other.${tag}@example.com`, name: `${tag.toUpperCase()}ALICE Jones` });
        users.inside = await make({ email: `x.${tag}alice@example.com`, name: `Bob ${tag}alice` });
        users.bob = await make({ email: `${tag}bob@example.com`, name: `${tag}Bob` });
        users.percent = await make({ email: `${tag}%_x@example.com`, name: `${tag}100%_.*\\([x ok` });
        users.plain = await make({ email: `${tag}ab@example.com`, name: `${tag}100ab` });
      });

      const found = async (q: string, extra: Query = {}) => {
        const res = await list({ q, limit: '100', ...extra });
        expect(res.status, `q=${q}: ${res.text}`).to.equal(200);
        const items = res.body.items as { id: string; email: string; name: string }[];
        for (const u of items)
          expect(u.email.startsWith(q.toLowerCase()) || u.name.toLowerCase().startsWith(q.toLowerCase()), u.email).to.be
            .true;
        return items.map((u) => u.id);
      };

      it('matches a case-insensitive prefix of the email or of the name', async () => {
        const want = [users.byEmail!.id, users.byName!.id];
        expect(await found(`${tag}ali`))
          .to.have.members(want)
          .and.have.length(2);
        expect(await found(`${tag.toUpperCase()}ALI`))
          .to.have.members(want)
          .and.have.length(2);
        expect(await found(`${tag}Ali`, { sort: 'email' }))
          .to.have.members(want)
          .and.have.length(2);
        expect(await found(`${tag}bo`)).to.deep.equal([users.bob!.id]);
        expect(await found(`other.${tag}`)).to.deep.equal([users.byName!.id]);
        expect(await found(`Bob ${tag}`)).to.deep.equal([users.inside!.id]);
      });

      it('does not match inside an email or a name', async () => {
        expect(await found(`${tag.slice(1)}ali`)).to.deep.equal([]);
        expect(await found(`${tag}lice`)).to.deep.equal([]);
        expect(await found(`${tag.slice(2)}`)).to.deep.equal([]);
        expect(await found('example.com')).to.deep.equal([]);
      });

      it('takes SQL and regex metacharacters literally and never errors on them', async () => {
        expect(await found(`${tag}%`)).to.deep.equal([users.percent!.id]);
        expect(await found(`${tag}%_`)).to.deep.equal([users.percent!.id]);
        expect(await found(`${tag}_b`)).to.deep.equal([]);
        expect(await found(`${tag}a_`)).to.deep.equal([]);
        expect(await found(`${tag}.*`)).to.deep.equal([]);
        expect(await found(`${tag}1%`)).to.deep.equal([]);
        expect(await found(`${tag}100%_.*\\(`)).to.deep.equal([users.percent!.id]);
        expect(await found(`${tag}100%_.*\\([x OK`)).to.deep.equal([users.percent!.id]);
        expect(await found(`${tag}100.`)).to.deep.equal([]);
        for (const q of [
          '%',
          '_',
          '.*',
          '\\',
          '\\\\',
          '(',
          '[',
          '*',
          '+',
          '?',
          '^',
          '$',
          '|',
          "'",
          '"',
          '%%',
          '\\%',
          '{"$ne":null}',
        ])
          await found(q);
      });

      it('finds users who registered themselves, and matches non-ASCII names without regard to case', async () => {
        const reg = await send(app, 'POST', '/v1/auth/register', {
          json: newAccount({ email: `${tag}self@example.com`, name: `${tag}Émile Zola` }),
        });
        expect(reg.status, reg.text).to.equal(201);
        const id = reg.body.user.id as string;
        expect(await found(`${tag}self`)).to.deep.equal([id]);
        expect(await found(`${tag}émi`)).to.deep.equal([id]);
        expect(await found(`${tag.toUpperCase()}ÉMILE Z`)).to.deep.equal([id]);
      });

      it('matches and sorts a user by the name and email they have now, after PATCH and PUT', async () => {
        const first = await make({ email: `${tag}zz1@example.com`, name: `${tag}Zebra One` });
        const second = await make({ email: `${tag}zz2@example.com`, name: `${tag}Zebra Two` });
        const patched = await send(app, 'PATCH', `/v1/users/${first.id}`, {
          token: adminToken,
          json: { name: `${tag}Aardvark One` },
        });
        expect(patched.status, patched.text).to.equal(200);
        const put = await send(app, 'PUT', `/v1/users/${second.id}`, {
          token: adminToken,
          json: { email: `${tag}zz2@example.com`, name: `${tag}AARDWOLF Two`, profile: {} },
        });
        expect(put.status, put.text).to.equal(200);
        expect(await found(`${tag}aard`)).to.have.members([first.id, second.id]);
        expect(await found(`${tag}zebra`)).to.deep.equal([]);
        // An admin's email change: whatever email the user has afterwards is the one q finds.
        const moved = await send(app, 'PATCH', `/v1/users/${first.id}`, {
          token: adminToken,
          json: { email: `${tag}moved@example.com` },
        });
        expect(moved.status, moved.text).to.equal(200);
        const now = (await send(app, 'GET', `/v1/users/${first.id}`, { token: adminToken })).body.user.email as string;
        expect(await found(now)).to.deep.equal([first.id]);
        const before = now === first.email ? `${tag}moved` : `${tag}zz1`;
        expect(await found(before)).to.deep.equal([]);
        const sorted = await list({ q: `${tag}`, sort: 'name', limit: '100' });
        const order = [first.id, second.id, users.byName!.id, users.bob!.id];
        const ids = (sorted.body.items as { id: string }[]).map((u) => u.id).filter((id) => order.includes(id));
        expect(ids).to.deep.equal(order);
      });

      it('refuses an empty q with 400 REQUEST.INVALID', async () => {
        expectProblem(await list({ q: '' }), 400, 'REQUEST.INVALID');
      });
    });

    it('keeps one order for equal names, on one page and across pages', async () => {
      const tag = aTag();
      for (const [i, name] of [
        `${tag} Same`,
        `${tag.toUpperCase()} SAME`,
        `${tag} same`,
        `${tag} Same`,
        `${tag} sAmE`,
      ].entries())
        await make({ email: `${tag}.${WORDS[(i * 3) % 10]}@example.com`, name });
      for (const sort of ['name', '-name']) {
        const whole = await walk({ q: tag, sort }, 100);
        expect(whole).to.have.length(5);
        expect(await walk({ q: tag, sort }, 100), sort).to.deep.equal(whole);
        expect(await walk({ q: tag, sort }, 2), sort).to.deep.equal(whole);
        expect(await walk({ q: tag, sort }, 1), sort).to.deep.equal(whole);
      }
    });

    it('answers 20 users by default and null nextCursor on the last page', async () => {
      const tag = aTag();
      const made: Made[] = [];
      for (let i = 0; i < 22; i++) made.push(await make({ email: `${tag}.${i}@example.com`, name: `${tag} ${i}` }));
      const first = await list({ q: tag });
      expect(first.status, first.text).to.equal(200);
      expect(first.body.items).to.have.length(20);
      const second = await list({ q: tag, cursor: first.body.nextCursor as string });
      expect(second.body.items).to.have.length(2);
      expect(second.body.nextCursor).to.equal(null);
      expect([...first.body.items, ...second.body.items].map((u: { id: string }) => u.id)).to.deep.equal(
        made.map((u) => u.id),
      );
      // A last page that is exactly full ends the list too.
      const full = await list({ q: tag, limit: '11' });
      const last = await list({ q: tag, limit: '11', cursor: full.body.nextCursor as string });
      expect(last.body.items).to.have.length(11);
      expect(last.body.nextCursor).to.equal(null);
      expect((await list({ q: tag, limit: '100' })).body.nextCursor).to.equal(null);
    });

    it('refuses a limit, sort, role, status or date outside the contract with 400 REQUEST.INVALID', async () => {
      const bad: Query[] = [
        { limit: '0' },
        { limit: '101' },
        { limit: '-1' },
        { limit: 'ten' },
        { limit: '2.5' },
        ...[
          'created',
          'Email',
          'EMAIL',
          '+email',
          'password',
          'passwordHash',
          'id',
          '-',
          '--email',
          'email,name',
          'role',
        ].map((sort) => ({ sort })),
        { role: 'root' },
        { role: 'ADMIN' },
        { status: 'gone' },
        { status: 'all' },
        ...['yesterday', '2024-13-01T00:00:00.000Z', '2024-02-30T25:00:00Z', 'now', '{"$gt":""}'].map(
          (createdAfter) => ({
            createdAfter,
          }),
        ),
        { createdBefore: 'not a date' },
        { createdBefore: '2024-01-01T00:00:00.000Zjunk' },
      ];
      for (const query of bad) {
        const res = await list(query);
        expect(res.status, `${JSON.stringify(query)}: ${res.text}`).to.equal(400);
        expectProblem(res, 400, 'REQUEST.INVALID');
      }
    });

    it('refuses a cursor it did not issue with 400 REQUEST.INVALID', async () => {
      const garbage = [
        'not-a-cursor',
        'AAAA',
        Buffer.from('null').toString('base64url'),
        Buffer.from('[]').toString('base64url'),
        Buffer.from('{}').toString('base64url'),
        Buffer.from('{"$ne":null}').toString('base64url'),
        'x'.repeat(600),
      ];
      for (const cursor of garbage) expectProblem(await list({ cursor }), 400, 'REQUEST.INVALID');
      const first = await list({ limit: '1', sort: 'email' });
      const cursor = first.body.nextCursor as string;
      expectProblem(await list({ sort: 'email', cursor: cursor.slice(0, -4) }), 400, 'REQUEST.INVALID');
    });

    it('answers a cursor altered by the client with 400 REQUEST.INVALID or a page, never a 5xx', async () => {
      // Opaque to clients, but a client can still decode and edit one; whatever it holds must be checked.
      const decoded = (cursor: string): Record<string, unknown> | null => {
        try {
          const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
          return value !== null && typeof value === 'object' && !Array.isArray(value)
            ? (value as Record<string, unknown>)
            : null;
        } catch {
          return null;
        }
      };
      const answers: string[] = [];
      for (const sort of SORTS) {
        const first = await list({ sort, limit: '1' });
        const fields = decoded(first.body.nextCursor as string);
        if (!fields) continue;
        for (const key of Object.keys(fields).filter((k) => typeof fields[k] === 'string'))
          for (const value of [
            'garbage',
            '',
            '\u0000',
            'x'.repeat(300),
            '2024-13-45T99:99:99.999Z',
            1,
            null,
            { $gt: '' },
          ]) {
            const cursor = Buffer.from(JSON.stringify({ ...fields, [key]: value })).toString('base64url');
            const res = await list({ sort, limit: '1', cursor });
            if (res.status === 400) expectProblem(res, 400, 'REQUEST.INVALID');
            else if (res.status !== 200)
              answers.push(`${sort} ${key}=${JSON.stringify(value).slice(0, 24)}: ${res.status}`);
          }
      }
      expect(answers).to.deep.equal([]);
    });

    it('answers 403 AUTH.FORBIDDEN to a non-admin and 401 without a token, whatever the filters', async () => {
      const user = await make({ email: `${aTag()}@example.com`, name: 'Plain User' });
      const { accessToken } = await signIn(app, user.email, newAccount().password);
      for (const query of [{}, { q: 'a' }, { status: 'deleted' }, { role: 'admin', sort: '-email' }] as Query[])
        expectProblem(await list(query, accessToken), 403, 'AUTH.FORBIDDEN');
      const anonymous = await send(app, 'GET', '/v1/users?status=deleted');
      expect(anonymous.status).to.equal(401);
      expect(anonymous.headers.get('www-authenticate')).to.match(/^Bearer\b/);
    });

    it('describes the new fields, parameters and route in /openapi.json', async () => {
      const doc = (await send(app, 'GET', '/openapi.json')).body;
      const user = doc.components.schemas.User;
      expect(user.required).to.include.members(['status', 'deletedAt']);
      expect(user.properties.status.enum).to.have.members(['active', 'disabled']);
      expect(user.properties.deletedAt.type).to.have.members(['string', 'null']);
      const params = Object.fromEntries(
        (doc.paths['/v1/users'].get.parameters as { name: string; schema: Record<string, any> }[]).map((p) => [
          p.name,
          p.schema,
        ]),
      );
      expect(params).to.include.keys(
        'limit',
        'cursor',
        'email',
        'role',
        'status',
        'q',
        'createdAfter',
        'createdBefore',
        'sort',
      );
      expect(params.status!.enum).to.have.members(['active', 'disabled', 'deleted']);
      expect(params.role!.enum).to.have.members(['user', 'admin']);
      expect(params.sort!.enum).to.have.members([...SORTS]);
      const restore = doc.paths['/v1/users/{id}/restore']?.post;
      expect(restore, 'POST /v1/users/{id}/restore').to.be.an('object');
      expect(restore.responses).to.include.keys('200', '403', '404', '409', '410');
    });

    it('pages correctly while users are created and deleted between pages', async () => {
      const tag = aTag();
      const made: Made[] = [];
      for (let i = 0; i < 8; i++)
        made.push(
          await make({ email: `${tag}.${WORDS[(i * 7) % 10]}@example.com`, name: `${tag} ${WORDS[(i * 3) % 10]}` }),
        );
      let extra = 0;
      for (const sort of SORTS) {
        const alive = made.filter((u) => !u.deleted);
        const ids: string[] = [];
        let cursor: string | null = null;
        const deletedNow: Made[] = [];
        let pages = 0;
        do {
          const res = await list({ q: tag, sort, limit: '2', ...(cursor ? { cursor } : {}) });
          expect(res.status, `${sort}: ${res.text}`).to.equal(200);
          const page = (res.body.items as { id: string }[]).map((u) => u.id);
          ids.push(...page);
          cursor = res.body.nextCursor as string | null;
          // Between pages: the last item seen goes, one not yet seen goes, and a newcomer sorts first and last.
          const lastSeen = made.find((u) => u.id === page.at(-1) && !u.deleted);
          const unseen = made.find((u) => !u.deleted && !ids.includes(u.id) && u !== lastSeen);
          for (const user of [lastSeen, unseen]) if (user) (await remove(user), deletedNow.push(user));
          if (++pages <= 3)
            for (const word of ['aaron', 'zed'])
              made.push(await make({ email: `${tag}.${word}${extra}@example.com`, name: `${tag} ${word} ${extra++}` }));
        } while (cursor !== null);
        expect(new Set(ids).size, `${sort}: no duplicates`).to.equal(ids.length);
        const survivors = alive.filter((u) => !deletedNow.includes(u)).map((u) => u.id);
        expect(ids, `${sort}: nothing skipped`).to.include.members(survivors);
      }
    });
  });
}
