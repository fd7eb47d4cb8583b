import { expect } from 'chai';
import { usePortico } from '../../support/backends.js';
import { expectProblem, login } from '../../support/http-client.js';
import { PORTICO_ADMIN } from '../../support/portico.js';
import { USER_BACKENDS } from '../../support/users-admin.js';
import { listAdminOf } from '../../support/users-list-admin.js';
import { useUserSet } from '../../support/users-list-fixture.js';
import { SORTS, WORDS, aTag, expected, type Made, type Query } from '../../support/users-list.js';

for (const backend of USER_BACKENDS) {
  describe(`HTTP users on ${backend.name}: the admin list`, function () {
    this.timeout(60_000);
    const app = usePortico(backend);
    let adminToken: string;

    before(async () => {
      adminToken = await login(app, PORTICO_ADMIN.email, PORTICO_ADMIN.password);
    });

    const admin = listAdminOf(app, () => adminToken);
    const { list, make, remove } = admin;

    describe('over one set of users with every role, status and name case', () => {
      const { tag, made } = useUserSet(admin);

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
