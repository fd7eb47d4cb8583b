import { expect } from 'chai';
import { signIn } from '../../support/accounts-app.js';
import { usePortico } from '../../support/backends.js';
import { expectProblem, login, newAccount, send } from '../../support/http-client.js';
import { PORTICO_ADMIN } from '../../support/portico.js';
import { USER_BACKENDS } from '../../support/users-admin.js';
import { listAdminOf } from '../../support/users-list-admin.js';
import { SORTS, aTag, type Query } from '../../support/users-list.js';

for (const backend of USER_BACKENDS) {
  describe(`HTTP users on ${backend.name}: the admin list`, function () {
    this.timeout(60_000);
    const app = usePortico(backend);
    let adminToken: string;

    before(async () => {
      adminToken = await login(app, PORTICO_ADMIN.email, PORTICO_ADMIN.password);
    });

    const { list, make } = listAdminOf(app, () => adminToken);

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
  });
}
