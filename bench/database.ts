import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { v7 } from 'uuid';
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
      `insert into users (id, email, name, role, profile, password_hash, created_at, updated_at)
       select t.id, t.email, t.name, 'user', t.profile, $5, now(), now()
       from unnest($1::uuid[], $2::text[], $3::text[], $4::jsonb[]) as t(id, email, name, profile)`,
      [
        users.map((u) => u.id),
        users.map((u) => u.email),
        users.map((u) => u.name),
        users.map((u) => JSON.stringify(u.profile)),
        passwordHash,
      ],
    ),
  );
  return users.map(({ id, email }) => ({ id, email }));
}

export async function setRole(database: string, id: string, role: string): Promise<void> {
  await withClient(database, (c) => c.query('update users set role = $2 where id = $1', [id, role]));
}

/** Rows in `users`, and the id at a 0-based position in id order (the list's keyset order). */
export async function userCount(database: string): Promise<number> {
  return withClient(database, async (c) => Number((await c.query('select count(*) from users')).rows[0].count));
}
export async function userIdAt(database: string, position: number): Promise<string> {
  return withClient(
    database,
    async (c) => (await c.query('select id from users order by id offset $1 limit 1', [position])).rows[0].id as string,
  );
}
export async function analyze(database: string): Promise<void> {
  await withClient(database, (c) => c.query('analyze'));
}
