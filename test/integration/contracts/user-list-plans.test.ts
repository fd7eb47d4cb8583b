import type { MikroORM } from '@mikro-orm/core';
import { expect } from 'chai';
import { listStatement, MikroOrmUserStore } from '../../../src/adapters/persistence/mikro-orm/mikro-orm-user-store.js';
import { migrate, openOrm } from '../../../src/adapters/persistence/mikro-orm/open-orm.js';
import type { UserQuery } from '../../../src/domain/ports/user-store.js';
import { USER_SORTS, type UserSort } from '../../../src/domain/user/user-list.js';
import type { User } from '../../../src/domain/user/user.js';
import { aUser } from '../../support/builders.js';
import { createTestDatabase, requirePostgres, type TestDatabase } from '../../support/postgres.js';
import { useOrm } from '../../support/use-orm.js';

const USERS = 100_000;
const BATCH = 2_000;
const FIRST_NAMES = ['Ada', 'Bo', 'Chen', 'Dana', 'Émile', 'Femi', 'Grace', 'Hiro', 'Ines', 'Jo'];

/** A user of a realistic mix: 5 % admins, 3 % disabled, 2 % deleted, spread over a year of sign-ups. */
function userNumber(i: number): User {
  const createdAt = new Date(Date.UTC(2026, 0, 1) + i * 300_000);
  return aUser({
    email: `user${i}@example.com`,
    name: `${FIRST_NAMES[i % FIRST_NAMES.length]} ${String(i).padStart(6, '0')}`,
    role: i % 20 === 0 ? 'admin' : 'user',
    status: i % 33 === 1 ? 'disabled' : 'active',
    deletedAt: i % 50 === 7 ? new Date(createdAt.getTime() + 86_400_000) : null,
    createdAt,
    updatedAt: createdAt,
  });
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

const nodesOf = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodesOf)];

/**
 * The admin list's statements as the store sends them, on a 100,000-user PostgreSQL table after
 * ANALYZE: each sort alone, `role` or `status` with each sort, and `q`, first page and a keyset
 * page, are planned on the list's indexes: no sequential scan of `users`.
 */
describe('users list query plans on PostgreSQL (EXPLAIN, 100,000 users)', function () {
  this.timeout(180_000);
  const orm = useOrm<TestDatabase, MikroORM>(
    async (ctx) => {
      await requirePostgres(ctx);
      return createTestDatabase();
    },
    async (database) => {
      const opened = await openOrm(database.db);
      await migrate(opened, 'up');
      return opened;
    },
  );
  let middle: User;

  before(async () => {
    const store = new MikroOrmUserStore(orm());
    for (let start = 0; start < USERS; start += BATCH) {
      await store.createMany(Array.from({ length: BATCH }, (_, k) => userNumber(start + k)));
    }
    middle = userNumber(USERS / 2);
    await orm().em.getConnection().execute('analyze users');
  });

  async function planOf(query: UserQuery): Promise<PlanNode[]> {
    const platform = orm().em.getPlatform();
    const [sql, params] = listStatement(query, (d) => platform.processDateProperty(d) as string);
    const rows = (await orm()
      .em.getConnection()
      .execute(`explain (format json) ${sql}`, params as unknown[])) as { 'QUERY PLAN': { Plan: PlanNode }[] }[];
    return nodesOf(rows[0]!['QUERY PLAN'][0]!.Plan);
  }

  const keyOf = (user: User, sort: UserSort) => ({
    value: sort.endsWith('createdAt')
      ? user.createdAt.toISOString()
      : sort.endsWith('email')
        ? user.email
        : user.name.toLowerCase(),
    id: user.id,
  });

  const shapes: [string, Omit<UserQuery, 'limit' | 'sort'>][] = [
    ['no filter', {}],
    ['role admin', { role: 'admin' }],
    ['role user', { role: 'user' }],
    ['status active', { status: 'active' }],
    ['status disabled', { status: 'disabled' }],
    ['status deleted', { status: 'deleted' }],
    ['q', { q: 'grace 0' }],
  ];
  for (const sort of USER_SORTS) {
    for (const [title, filter] of shapes) {
      it(`${sort}, ${title}: first page and a keyset page use indexes, never a sequential scan`, async () => {
        for (const after of [undefined, keyOf(middle, sort)]) {
          const nodes = await planOf({ ...filter, sort, limit: 20, after });
          const scans = nodes.filter((n) => n['Relation Name'] === 'users');
          expect(scans, JSON.stringify(nodes)).to.not.be.empty;
          expect(
            scans.map((n) => n['Node Type']),
            JSON.stringify(nodes),
          ).to.not.include('Seq Scan');
          for (const scan of scans) expect(scan['Index Name'] ?? '', scan['Node Type']).to.match(/^users_/);
        }
      });
    }
  }

  it('finds what the plans promise (a sanity check of the seeded table)', async () => {
    const store = new MikroOrmUserStore(orm());
    const page = await store.list({ limit: 3, sort: '-createdAt', status: 'deleted' });
    expect(page.items).to.have.length(3);
    expect(page.items.every((u) => u.deletedAt !== null)).to.equal(true);
    expect((await store.list({ limit: 5, q: 'GRACE 0'.toLowerCase() })).items.every((u) => u.name.startsWith('Grace')))
      .to.be.true;
  });
});
