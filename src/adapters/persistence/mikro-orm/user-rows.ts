import { createHash } from 'node:crypto';
import { TransactionContext, type MikroORM } from '@mikro-orm/core';
import type { AbstractSqlConnection, Knex } from '@mikro-orm/knex';
import type { Profile } from '../../../domain/user/profile.js';
import type { Role } from '../../../domain/user/role.js';
import { User } from '../../../domain/user/user.js';

/**
 * The hot reads (a user by id or email, the user behind an access token) skip the ORM's query
 * building and hydration, and on PostgreSQL knex's query runner too: together they cost more than
 * the round trip itself. The statement runs on a connection borrowed from the ORM's own pool, so
 * the pool's bound, acquire timeout and metrics hold as for every other query. The names below
 * are those UserSchema maps (and the migrations create); change them together.
 */
const USER_COLUMNS =
  'u."id", u."email", u."name", u."role", u."profile", u."password_hash", u."created_at", u."updated_at", ' +
  'u."email_verified_at", u."totp_secret", u."totp_enabled_at", u."version"';
/** Built once, so every call passes the same string and its statement is found without hashing the text again. */
export const USER_BY_ID = `select ${USER_COLUMNS} from "users" u where u."id" = ?`;
export const USER_BY_EMAIL = `select ${USER_COLUMNS} from "users" u where u."email" = ?`;

interface UserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  /** jsonb arrives parsed (PostgreSQL); SQLite's json column arrives as text. */
  profile: Profile | string;
  password_hash: string;
  /** PostgreSQL: timestamptz text (the ORM's type parsers); SQLite: epoch milliseconds. */
  created_at: string | number;
  updated_at: string | number;
  email_verified_at: string | number | null;
  totp_secret: string | null;
  totp_enabled_at: string | number | null;
  version: number;
}

interface PgQuery {
  name: string;
  text: string;
  values: string[];
}
interface PgConnection {
  query(query: PgQuery | string): Promise<{ rows: UserRow[] }>;
  /** pg's own record of the statements this connection has prepared. */
  connection: { parsedStatements: Record<string, string> };
}

/**
 * Each statement as a named prepared statement: PostgreSQL parses and plans it once per connection
 * and then only binds and executes it, instead of planning the same text on every request. Names
 * are derived from the text, so one name never stands for two statements; the texts are a fixed
 * handful (by id or email, with or without the session check), so neither this map nor any
 * connection's set of prepared statements grows.
 */
const pgStatements = new Map<string, { name: string; text: string }>();
function pgStatement(sql: string): { name: string; text: string } {
  let statement = pgStatements.get(sql);
  if (statement === undefined) {
    let n = 0;
    // `?` placeholders (knex's, for both dialects) as PostgreSQL's `$1, $2 ...`; our statements hold no other `?`.
    const text = sql.replace(/\?/g, () => `$${++n}`);
    statement = { name: `portico_${createHash('sha256').update(text).digest('hex').slice(0, 16)}`, text };
    pgStatements.set(sql, statement);
  }
  return statement;
}

async function rawRows(connection: AbstractSqlConnection, sql: string, params: string[]): Promise<UserRow[]> {
  await connection.ensureConnection();
  const client = connection.getKnex().client;
  if (client.driverName !== 'pg') {
    const result: UserRow[] | { rows: UserRow[] } = await connection.getKnex().raw(sql, params);
    return Array.isArray(result) ? result : result.rows;
  }
  const pooled = (await client.acquireConnection()) as PgConnection;
  const statement = pgStatement(sql);
  try {
    return (await pooled.query({ name: statement.name, text: statement.text, values: params })).rows;
  } catch (error) {
    if (!isStalePlan(error)) throw error;
    // A migration changed the type of a column under a statement prepared before it; PostgreSQL
    // refuses that statement on this connection from then on. Drop it and prepare it again, once.
    await pooled.query(`deallocate "${statement.name}"`);
    delete pooled.connection.parsedStatements[statement.name];
    return (await pooled.query({ name: statement.name, text: statement.text, values: params })).rows;
  } finally {
    await client.releaseConnection(pooled);
  }
}

/** SQLSTATE 0A000 "cached plan must not change result type". */
const isStalePlan = (error: unknown) =>
  error instanceof Error &&
  (error as { code?: string }).code === '0A000' &&
  /cached plan must not change result type/.test(error.message);

/**
 * Inside a transaction (MikroOrmUnitOfWork) the read runs on the transaction's own connection, as a
 * plain statement: it sees the transaction's writes, and on SQLite, whose one connection the
 * transaction holds, a read from the pool would wait for it until the acquire timeout.
 */
async function transactionRows(orm: MikroORM, sql: string, params: string[]): Promise<UserRow[] | undefined> {
  const trx = TransactionContext.getEntityManager(orm.em.name)?.getTransactionContext<Knex.Transaction>();
  if (!trx) return undefined;
  const result: UserRow[] | { rows: UserRow[] } = await trx.raw(sql, params);
  return Array.isArray(result) ? result : result.rows;
}

/** Users read by one parameterized statement (`?` placeholders), the same way on PostgreSQL and SQLite. */
export async function userRows(orm: MikroORM, sql: string, params: string[]): Promise<User[]> {
  const rows =
    (await transactionRows(orm, sql, params)) ??
    (await rawRows(orm.em.getConnection() as unknown as AbstractSqlConnection, sql, params));
  const platform = orm.em.getPlatform();
  const dateOrNull = (value: string | number | null) => (value === null ? null : platform.parseDate(value));
  return rows.map(
    (r) =>
      new User(
        r.id,
        r.email,
        r.name,
        r.role,
        typeof r.profile === 'string' ? (JSON.parse(r.profile) as Profile) : r.profile,
        r.password_hash,
        platform.parseDate(r.created_at),
        platform.parseDate(r.updated_at),
        dateOrNull(r.email_verified_at),
        r.totp_secret,
        dateOrNull(r.totp_enabled_at),
        Number(r.version),
      ),
  );
}
