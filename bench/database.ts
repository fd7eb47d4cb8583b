import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { v7 } from 'uuid';
import { isDescending, nameKey, sortField, type UserKey, type UserSort } from '../src/domain/user/user-list.js';
import { fakeUsers } from '../src/infrastructure/cli/fake-users.js';

export const server = {
  host: process.env.PGHOST ?? '127.0.0.1',
  port: Number(process.env.PGPORT ?? 5432),
  user: process.env.PGUSER ?? 'postgres',
  password: process.env.PGPASSWORD ?? '',
};

async function withClient<T>(database: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ ...server, database });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export interface BenchDatabase {
  name: string;
  drop(): Promise<void>;
}

export async function createDatabase(): Promise<BenchDatabase> {
  const name = `portico_bench_${randomBytes(5).toString('hex')}`;
  await withClient(process.env.PGDATABASE ?? 'test', (c) => c.query(`create database "${name}"`));
  return {
    name,
    drop: () =>
      withClient(process.env.PGDATABASE ?? 'test', (c) =>
        c.query(`drop database if exists "${name}" with (force)`),
      ).then(() => undefined),
  };
}

export interface Seeded {
  id: string;
  email: string;
}

/**
 * One statement for all rows; every user gets the same (pre-computed) password hash, and the name
 * and profile of a user `npm run seed` would make (fake-users.ts), so the scale scenario's pages
 * look alike before and after it seeds a million more of those.
 */
export async function seedUsers(database: string, count: number, passwordHash: string): Promise<Seeded[]> {
  const fake = [...fakeUsers(count, passwordHash)];
  const users = fake.map((f, i) => ({ id: v7(), email: `bench${i}@example.com`, name: f.name, profile: f.profile }));
  await withClient(database, (c) =>
    c.query(
      // Sign-ups a second apart, oldest first (ids are UUIDv7, so id order is creation order too);
      // name_key as the store writes it (user-list.ts's nameKey).
      `insert into users (id, email, name, name_key, role, profile, password_hash, created_at, updated_at)
       select t.id, t.email, t.name, t.name_key, 'user', t.profile, $6,
              date_trunc('milliseconds', now()) - make_interval(secs => $7::int - t.n),
              date_trunc('milliseconds', now()) - make_interval(secs => $7::int - t.n)
       from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::jsonb[]) with ordinality
         as t(id, email, name, name_key, profile, n)`,
      [
        users.map((u) => u.id),
        users.map((u) => u.email),
        users.map((u) => u.name),
        users.map((u) => nameKey(u.name)),
        users.map((u) => JSON.stringify(u.profile)),
        passwordHash,
        users.length,
      ],
    ),
  );
  return users.map(({ id, email }) => ({ id, email }));
}

export async function setRole(database: string, id: string, role: string): Promise<void> {
  await withClient(database, (c) => c.query('update users set role = $2 where id = $1', [id, role]));
}

/** Rows in `users`. */
export async function userCount(database: string): Promise<number> {
  return withClient(database, async (c) => Number((await c.query('select count(*) from users')).rows[0].count));
}
const SORT_COLUMNS = { createdAt: 'created_at', email: 'email', name: 'name_key' } as const;

/** The list position (user-list.ts's UserKey) of the user at a 0-based position of `sort`, deleted users left out. */
export async function userKeyAt(database: string, sort: UserSort, position: number): Promise<UserKey> {
  const field = sortField(sort);
  const direction = isDescending(sort) ? 'desc' : 'asc';
  const column = SORT_COLUMNS[field];
  return withClient(database, async (c) => {
    const { rows } = await c.query(
      `select id, ${column} as value from users where list_status <> 'deleted'
       order by ${column} ${direction}, id ${direction} offset $1 limit 1`,
      [position],
    );
    const row = rows[0] as { id: string; value: string | Date };
    return { id: row.id, value: row.value instanceof Date ? row.value.toISOString() : row.value };
  });
}
export async function analyze(database: string): Promise<void> {
  await withClient(database, (c) => c.query('analyze'));
}
