import type { MikroORM } from '@mikro-orm/core';

/**
 * For a describe block: before it, `create` makes a database of its own (or skips the block) and `open`
 * opens the ORM on it; after it, the ORM is closed and the database dropped. The getter returned is
 * valid in the block's tests and hooks.
 */
export function useOrm<D extends { drop(): Promise<void> }, O extends MikroORM>(
  create: (ctx: Mocha.Context) => D | Promise<D>,
  open: (database: D) => Promise<O>,
): () => O {
  let database: D | undefined;
  let orm: O | undefined;
  before(async function () {
    database = await create(this);
    orm = await open(database);
  });
  after(async () => {
    await orm?.close(true);
    await database?.drop();
  });
  return () => {
    if (!orm) throw new Error('the ORM is opened in a before hook: use it inside tests and hooks');
    return orm;
  };
}
