import { RequestContext, type MikroORM } from '@mikro-orm/core';
import type { Middleware } from 'koa';

/** Gives each request its own EntityManager fork (identity map), so nothing leaks between requests. */
export const mikroOrmRequestScope =
  (orm: MikroORM): Middleware =>
  (_ctx, next) =>
    RequestContext.create(orm.em, next);
