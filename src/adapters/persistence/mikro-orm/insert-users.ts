import type { EntityManager } from '@mikro-orm/core';
import type { AbstractSqlConnection, Knex } from '@mikro-orm/knex';
import { User } from '../../../domain/user/user.js';
import { stored } from './stored-user.js';
import type { StoredUser } from './user-schema.js';

/** Every stored field of a user, in one fixed order; their column names come from UserSchema. */
const FIELDS = [
  'id',
  'email',
  'name',
  'role',
  'profile',
  'passwordHash',
  'createdAt',
  'updatedAt',
  'emailVerifiedAt',
  'totpSecret',
  'totpEnabledAt',
  'version',
  'status',
  'deletedAt',
  'listStatus',
  'nameKey',
] as const satisfies readonly (keyof StoredUser)[];
const DATES = new Set<string>(['createdAt', 'updatedAt', 'emailVerifiedAt', 'totpEnabledAt', 'deletedAt']);

/** `insert into "users" (...) values (?, ...)` for the first row; further rows repeat the tuple. */
function statementFor(em: EntityManager): { head: string; row: string } {
  const { properties, tableName } = em.getMetadata().get<StoredUser>(User.name);
  const quote = (name: string) => em.getPlatform().quoteIdentifier(name);
  const columns = FIELDS.map((field) => quote(properties[field].fieldNames[0]!));
  return {
    head: `insert into ${quote(tableName)} (${columns.join(', ')}) values `,
    row: `(${FIELDS.map(() => '?').join(', ')})`,
  };
}

/**
 * One multi-row INSERT with bound parameters, straight through knex. MikroORM's insertMany renders
 * every value into the SQL text (its `formatQuery`), and PostgreSQL then parses some 400 kB of
 * literals per 1,000 users: seeding a million took 34 s of this process's CPU and ran at 13,700
 * users/s that way, 17 s and 18,800 users/s this way.
 * A driver error comes back as MikroORM's exception (UniqueConstraintViolationException ...), as
 * from the ORM's own calls, so the stores' error translation reads it the same way.
 */
export async function insertUsers(em: EntityManager, users: readonly User[]): Promise<void> {
  const platform = em.getPlatform();
  const { head, row } = statementFor(em);
  const params: unknown[] = [];
  for (const user of users.map(stored)) {
    for (const field of FIELDS) {
      const value = field === 'version' ? 1 : (user[field] ?? null);
      if (field === 'profile') params.push(platform.convertJsonToDatabaseValue(value));
      else if (DATES.has(field) && value !== null) params.push(platform.processDateProperty(value));
      else params.push(value);
    }
  }
  const knex =
    em.getTransactionContext<Knex.Transaction>() ?? (em.getConnection() as unknown as AbstractSqlConnection).getKnex();
  try {
    await knex.raw(head + Array.from(users, () => row).join(', '), params as Knex.RawBinding[]);
  } catch (error) {
    throw error instanceof Error ? em.getDriver().convertException(error) : error;
  }
}
