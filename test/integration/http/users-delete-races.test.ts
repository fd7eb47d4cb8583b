import { expect } from 'chai';
import { loginAnswer, signIn, useAccountsApp } from '../../support/accounts-app.js';
import { login, send, type Answer } from '../../support/http-client.js';
import { PORTICO_ADMIN } from '../../support/portico.js';
import { expectEveryPairDead } from '../../support/session-race.js';
import { ISO, USER_BACKENDS, adminOf } from '../../support/users-admin.js';

for (const backend of USER_BACKENDS) {
  describe(`HTTP users on ${backend.name}: soft delete and restore`, function () {
    const app = useAccountsApp(backend);
    let adminToken: string;
    const admin = adminOf(app, () => adminToken);

    before(async () => {
      adminToken = await login(app, PORTICO_ADMIN.email, PORTICO_ADMIN.password);
    });

    it('leaves no working session from logins and refreshes that raced the delete, even after restoring', async () => {
      for (let round = 0; round < 5; round++) {
        const user = await admin.create();
        const sessions = await Promise.all([1, 2, 3].map(() => signIn(app, user.email, user.password)));
        const [raced] = await Promise.all([
          Promise.all([
            ...[1, 2, 3, 4].map(() => loginAnswer(app, user.email, user.password)),
            ...sessions.map((s) => send(app, 'POST', '/v1/auth/refresh', { json: { refreshToken: s.refreshToken } })),
          ]),
          admin.softDelete(user.id),
        ]);
        for (const res of raced) expect(res.status, res.text).to.be.oneOf([200, 401, 429]);
        expect((await admin.restore(user.id)).status).to.equal(200);
        await expectEveryPairDead(app, sessions, raced, { logins: 4, when: `round ${round}, after restoring` });
      }
    });

    it('takes exactly one of three concurrent deletes, and one of three concurrent restores', async () => {
      const codes = (answers: Answer[]) => answers.map((r) => `${r.status} ${r.body.code ?? ''}`.trim()).sort();
      for (let round = 0; round < 3; round++) {
        const user = await admin.create();
        const deletes = await Promise.all([1, 2, 3].map(() => admin.remove(user.id)));
        expect(codes(deletes), `round ${round}`).to.deep.equal(['204', '404 USER.NOT_FOUND', '404 USER.NOT_FOUND']);
        const restores = await Promise.all([1, 2, 3].map(() => admin.restore(user.id)));
        expect(codes(restores), `round ${round}`).to.deep.equal([
          '200',
          '409 USER.NOT_DELETED',
          '409 USER.NOT_DELETED',
        ]);
        expect((await admin.get(user.id)).body.user).to.include({ deletedAt: null, status: 'active' });
      }
    });

    it('ends a disable racing a delete with a deleted user, and never a 5xx', async () => {
      for (let round = 0; round < 3; round++) {
        const user = await admin.create();
        const [patched, deleted] = await Promise.all([
          send(app, 'PATCH', `/v1/users/${user.id}`, { token: adminToken, json: { status: 'disabled' } }),
          admin.remove(user.id),
        ]);
        expect(deleted.status, deleted.text).to.equal(204);
        expect(patched.status, patched.text).to.be.oneOf([200, 404]);
        const seen = (await admin.get(user.id)).body.user;
        expect(seen.deletedAt, `round ${round}: PATCH ${patched.status}, DELETE ${deleted.status}`).to.match(ISO);
        expect(seen.status).to.equal(patched.status === 200 ? 'disabled' : 'active');
      }
    });
  });
}
