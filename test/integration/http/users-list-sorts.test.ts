import { expect } from 'chai';
import { usePortico } from '../../support/backends.js';
import { login } from '../../support/http-client.js';
import { PORTICO_ADMIN } from '../../support/portico.js';
import { USER_BACKENDS } from '../../support/users-admin.js';
import { listAdminOf } from '../../support/users-list-admin.js';
import { useUserSet } from '../../support/users-list-fixture.js';
import { SORTS, WORDS, aTag } from '../../support/users-list.js';

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
      const { tag, expectListed } = useUserSet(admin);

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
  });
}
