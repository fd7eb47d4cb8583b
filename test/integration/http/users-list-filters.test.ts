import { expect } from 'chai';
import { usePortico } from '../../support/backends.js';
import { expectProblem, login, newAccount, send } from '../../support/http-client.js';
import { PORTICO_ADMIN } from '../../support/portico.js';
import { ISO, USER_BACKENDS } from '../../support/users-admin.js';
import { listAdminOf } from '../../support/users-list-admin.js';
import { useUserSet } from '../../support/users-list-fixture.js';
import { WORDS, aTag, expected, type Made, type Query } from '../../support/users-list.js';

for (const backend of USER_BACKENDS) {
  describe(`HTTP users on ${backend.name}: the admin list`, function () {
    this.timeout(60_000);
    const app = usePortico(backend);
    let adminToken: string;

    before(async () => {
      adminToken = await login(app, PORTICO_ADMIN.email, PORTICO_ADMIN.password);
    });

    const admin = listAdminOf(app, () => adminToken);
    const { list, walk, make } = admin;

    describe('over one set of users with every role, status and name case', () => {
      const { tag, made, expectListed } = useUserSet(admin);

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
  });
}
