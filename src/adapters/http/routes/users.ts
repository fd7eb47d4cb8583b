import type { CreateUser } from '../../../application/users/create-user.js';
import type { DeleteUser } from '../../../application/users/delete-user.js';
import type { GetUser } from '../../../application/users/get-user.js';
import type { ListUsers } from '../../../application/users/list-users.js';
import type { PatchUser } from '../../../application/users/patch-user.js';
import type { ReplaceUser } from '../../../application/users/replace-user.js';
import type { RestoreUser } from '../../../application/users/restore-user.js';
import { notFound } from '../../../domain/errors.js';
import type { User } from '../../../domain/user/user.js';
import { etagOf, ifMatchOf } from '../conditional.js';
import type { RouteContext } from '../context.js';
import { defineRoute, type Api } from '../route.js';
import { asProfile, idParams } from '../schemas/common.js';
import {
  CreateUserBody,
  ListUsersQuery,
  PatchUserBody,
  ReplaceUserBody,
  toUserView,
  UserEnvelope,
  UserPageSchema,
} from '../schemas/users.js';

export interface UsersDeps {
  createUser: CreateUser;
  getUser: GetUser;
  listUsers: ListUsers;
  replaceUser: ReplaceUser;
  patchUser: PatchUser;
  deleteUser: DeleteUser;
  restoreUser: RestoreUser;
}

const one = { status: 200, description: 'The user', schema: UserEnvelope };

/** One user's answer, with the ETag of its version. */
export function answerUser(ctx: RouteContext, user: User): void {
  ctx.set('ETag', etagOf(user.id, user.version));
  ctx.body = { user: toUserView(user) };
}
const byId = { tag: 'users', auth: true, params: idParams, paramsNotFound: notFound } as const;

export function usersRoutes(api: Api, deps: UsersDeps): void {
  defineRoute(api, {
    method: 'get',
    path: '/v1/users',
    operationId: 'listUsers',
    summary: 'List users (admin): filters, search, sorts, keyset pages',
    tag: 'users',
    auth: true,
    query: ListUsersQuery,
    success: { status: 200, description: 'A page of users', schema: UserPageSchema },
    problems: [400, 403],
    handle: async (ctx, { actor, query }) => {
      const { createdAfter, createdBefore, ...rest } = query;
      const page = await deps.listUsers.execute({
        actor,
        ...rest,
        createdAfter: createdAfter === undefined ? undefined : new Date(createdAfter),
        createdBefore: createdBefore === undefined ? undefined : new Date(createdBefore),
      });
      ctx.body = { items: page.items.map(toUserView), nextCursor: page.nextCursor };
    },
  });
  defineRoute(api, {
    method: 'post',
    path: '/v1/users',
    operationId: 'createUser',
    idempotent: true,
    summary: 'Create a user, optionally with a role and profile (admin)',
    tag: 'users',
    auth: true,
    body: CreateUserBody,
    success: {
      status: 201,
      description: 'Created',
      schema: UserEnvelope,
      headers: { Location: { description: 'The new user', schema: { type: 'string' } } },
    },
    problems: [403, 409],
    handle: async (ctx, { actor, body }) => {
      const user = await deps.createUser.execute({ actor, ...body, profile: body.profile && asProfile(body.profile) });
      ctx.status = 201;
      ctx.set('Location', `/v1/users/${user.id}`);
      ctx.body = { user: toUserView(user) };
    },
  });
  defineRoute(api, {
    ...byId,
    method: 'get',
    path: '/v1/users/{id}',
    operationId: 'getUser',
    summary: 'One user (self or admin)',
    success: one,
    conditional: 'read',
    handle: async (ctx, { actor, params }) => {
      answerUser(ctx, await deps.getUser.execute({ actor, id: params.id }));
    },
  });
  defineRoute(api, {
    ...byId,
    method: 'put',
    path: '/v1/users/{id}',
    operationId: 'replaceUser',
    summary: 'Replace email, name and profile (self or admin)',
    body: ReplaceUserBody,
    success: one,
    problems: [409],
    conditional: 'write',
    handle: async (ctx, { actor, params, body }) => {
      const ifMatch = ifMatchOf(ctx, params.id);
      const profile = asProfile(body.profile);
      answerUser(ctx, await deps.replaceUser.execute({ actor, id: params.id, ...body, profile, ifMatch }));
    },
  });
  defineRoute(api, {
    ...byId,
    method: 'patch',
    path: '/v1/users/{id}',
    operationId: 'patchUser',
    summary: 'JSON merge patch of email, name, profile; role and status by an admin only',
    body: PatchUserBody,
    bodyTypes: ['application/merge-patch+json'],
    success: one,
    problems: [403, 409],
    conditional: 'write',
    handle: async (ctx, { actor, params, body }) => {
      const { profile, ...rest } = body;
      const patch = { ...rest, profile: profile ? asProfile(profile) : profile };
      const ifMatch = ifMatchOf(ctx, params.id);
      answerUser(ctx, await deps.patchUser.execute({ actor, id: params.id, patch, ifMatch }));
    },
  });
  defineRoute(api, {
    ...byId,
    method: 'delete',
    path: '/v1/users/{id}',
    operationId: 'deleteUser',
    summary: "Soft-delete a user (self or admin): the user's tokens stop working; restorable for USER_RESTORE_DAYS",
    success: { status: 204, description: 'Deleted' },
    conditional: 'write',
    handle: async (ctx, { actor, params }) => {
      await deps.deleteUser.execute({ actor, id: params.id, ifMatch: ifMatchOf(ctx, params.id) });
      ctx.status = 204;
    },
  });
  defineRoute(api, {
    ...byId,
    method: 'post',
    path: '/v1/users/{id}/restore',
    operationId: 'restoreUser',
    summary: 'Restore a soft-deleted user within the restore window (admin)',
    success: { status: 200, description: 'The user, as before the deletion', schema: UserEnvelope },
    problems: [403, 409, 410],
    handle: async (ctx, { actor, params }) => {
      answerUser(ctx, await deps.restoreUser.execute({ actor, id: params.id }));
    },
  });
}
