import { createHash } from 'node:crypto';
import { TransactionContext, type MikroORM } from '@mikro-orm/core';
import type { AbstractSqlConnection, Knex } from '@mikro-orm/knex';
import { DatabaseFailure } from './db-errors.js';

/**
 * One parameterized statement (`?` placeholders) without the ORM's query building and hydration,
 * and on PostgreSQL without knex's query runner either: for the hot paths (the user behind an
 * access token, the user list, a refresh's statements) those cost more than the round trip itself.
 * It runs where the ORM would have run it: on the unit of work's transaction when there is one
 * (MikroOrmUnitOfWork), else on a connection borrowed from the ORM's own pool, so the pool's bound,
 * acquire timeout and metrics hold as for every other query.
 */
export type SqlParam = string | number | Date | null;
export interface StatementResult<Row> {
  rows: Row[];
  /** Rows a write changed (PostgreSQL's rowCount, SQLite's changes); for a read, the rows read. */
  rowCount: number;
}

interface PgQuery {
  /** Absent: the unnamed statement, parsed again on every call. */
  name?: string;
  text: string;
  values: readonly SqlParam[];
}
interface PgConnection {
  query(query: PgQuery | string): Promise<{ rows: unknown[]; rowCount: number | null }>;
  /** pg's own record of the statements this connection has prepared, and its socket. */
  connection: { parsedStatements: Record<string, string>; stream?: { cork(): void; uncork(): void } };
}

/**
 * Each statement as a named prepared statement: PostgreSQL parses and plans it once per connection
 * and then only binds and executes it, instead of planning the same text on every request. Names
 * are derived from the text, so one name never stands for two statements; the texts are a fixed
 * handful (built once by their modules), so neither this map nor any connection's set of prepared
 * statements grows.
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

/** Which ORMs run their statements unnamed (DB_PREPARED_STATEMENTS=false); openOrm records it. */
const unnamedOnly = new WeakSet<MikroORM>();
export function usePreparedStatements(orm: MikroORM, on: boolean): void {
  if (on) unnamedOnly.delete(orm);
  else unnamedOnly.add(orm);
}

/**
 * pg writes each message of the extended protocol (parse, bind, describe, execute, sync) with a
 * write of its own: uncorked, a syscall each. Corked while the query is submitted (synchronously,
 * when the connection is idle), they leave in one.
 */
function corked(pooled: PgConnection, query: PgQuery) {
  const stream = pooled.connection.stream;
  stream?.cork();
  try {
    return pooled.query(query);
  } finally {
    stream?.uncork();
  }
}

async function pgRows(orm: MikroORM, pooled: PgConnection, sql: string, params: readonly SqlParam[], named: boolean) {
  const statement = pgStatement(sql);
  // Unnamed: parsed and planned on every call, but nothing is left on the server session, which a
  // transaction pooler lends to another client once the statement is done.
  if (!named || unnamedOnly.has(orm)) return corked(pooled, { text: statement.text, values: params });
  const run = () => corked(pooled, { ...statement, values: params });
  try {
    return await run();
  } catch (error) {
    if (isLostStatement(error)) throw preparedStatementsUnkept(statement.name, error);
    if (!isStalePlan(error)) throw error;
    // A migration changed the type of a column under a statement prepared before it; PostgreSQL
    // refuses that statement on this connection from then on. Drop it and prepare it again, once.
    await pooled.query(`deallocate "${statement.name}"`);
    delete pooled.connection.parsedStatements[statement.name];
    return await run();
  }
}

/** knex's raw result on SQLite (better-sqlite3): the rows of a read, `{ changes }` for a write. */
function sqliteResult<Row>(result: Row[] | { changes?: number }): StatementResult<Row> {
  return Array.isArray(result)
    ? { rows: result, rowCount: result.length }
    : { rows: [], rowCount: result.changes ?? 0 };
}

export async function runStatement<Row>(
  orm: MikroORM,
  sql: string,
  params: readonly SqlParam[],
): Promise<StatementResult<Row>> {
  // Inside a unit of work: its transaction's connection, so the statement sees (and is part of) the
  // transaction; on SQLite, whose one connection the transaction holds, the pool would wait for it.
  const trx = TransactionContext.getEntityManager(orm.em.name)?.getTransactionContext<Knex.Transaction>();
  let knex: Knex = trx as Knex;
  if (!trx) {
    const connection = orm.em.getConnection() as unknown as AbstractSqlConnection;
    await connection.ensureConnection();
    knex = connection.getKnex();
  }
  const client = knex.client as Knex.Client & {
    driverName: string;
    acquireConnection(): Promise<unknown>;
    releaseConnection(connection: unknown): Promise<unknown>;
  };
  if (client.driverName !== 'pg') {
    const result = (await knex.raw(sql, params as Knex.RawBinding[])) as Row[] | { changes?: number };
    return sqliteResult(result);
  }
  // A transaction's client lends its own connection and keeps it on release (knex's transaction client).
  const pooled = (await client.acquireConnection()) as PgConnection;
  try {
    // In a transaction, unnamed: after an error there the transaction accepts nothing more, so a
    // stale prepared statement could not be dropped and prepared again.
    const result = await pgRows(orm, pooled, sql, params, !trx);
    return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 };
  } finally {
    await client.releaseConnection(pooled);
  }
}

/**
 * SQLSTATE 26000 (a statement this connection prepared is not there) or 42P05 (one it never
 * prepared is): the server session is not the connection's own, so a pooler in transaction mode
 * that does not keep prepared statements stands in between. Never wrong rows: a name is the hash of
 * its text, so whichever session answers runs the same statement; but every later lookup may fail.
 */
const isLostStatement = (error: unknown) =>
  error instanceof Error && ['26000', '42P05'].includes(String((error as { code?: string }).code));

function preparedStatementsUnkept(name: string, error: unknown): DatabaseFailure {
  const code = String((error as { code?: string }).code);
  const failure = new DatabaseFailure(
    `prepared statement ${name} was ${code === '26000' ? 'missing from' : 'already on'} the server session: ` +
      'the connection goes through a pooler that does not keep named prepared statements (PgBouncer in ' +
      'transaction mode before 1.21 or without max_prepared_statements); set DB_PREPARED_STATEMENTS=false',
    { code },
  );
  failure.name = 'PreparedStatementsUnkept';
  return failure;
}

/** SQLSTATE 0A000 "cached plan must not change result type". */
const isStalePlan = (error: unknown) =>
  error instanceof Error &&
  (error as { code?: string }).code === '0A000' &&
  /cached plan must not change result type/.test(error.message);
