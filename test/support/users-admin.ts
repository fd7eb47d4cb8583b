import { expect } from 'chai';
import { MEMORY_BACKEND, SQL_BACKENDS } from './backends.js';
import { newAccount, send, type Answer } from './http-client.js';
import { MONGO_BACKEND } from './mongo.js';

/** The backends every whole-app users suite runs on, one describe block each. */
export const USER_BACKENDS = [MEMORY_BACKEND, ...SQL_BACKENDS, MONGO_BACKEND];

export const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
export const MISSING_ID = '01900000-0000-7000-8000-000000000000';

/** What a login refusal says, without the parts that differ from one request to the next. */
export const refusalOf = (res: Answer) => {
  const { requestId: _requestId, ...rest } = res.body;
  return rest;
};

/** 401 with the Bearer challenge, as the contract asks of a token that no longer works. */
export function expectBearerRefused(res: Answer): void {
  expect(res.status, res.text).to.equal(401);
  expect(res.headers.get('www-authenticate'), 'WWW-Authenticate').to.match(/^Bearer\b/);
}

/** The same refusal, and its body a problem+json. */
export function expectBearerProblem(res: Answer): void {
  expectBearerRefused(res);
  expect(res.headers.get('content-type')).to.match(/^application\/problem\+json/);
}

/** Admin helpers over one running app: create, delete, restore, read and list users. */
export function adminOf(app: { url: string }, token: () => string) {
  return {
    async create(extra: object = {}) {
      const account = newAccount(extra);
      const res = await send(app, 'POST', '/v1/users', { token: token(), json: account });
      expect(res.status, res.text).to.equal(201);
      return { ...account, id: res.body.user.id as string };
    },
    remove: (id: string, as = token()) => send(app, 'DELETE', `/v1/users/${id}`, { token: as }),
    async softDelete(id: string, as = token()) {
      const res = await send(app, 'DELETE', `/v1/users/${id}`, { token: as });
      expect(res.status, res.text).to.equal(204);
      expect(res.text).to.equal('');
    },
    restore: (id: string, as = token()) => send(app, 'POST', `/v1/users/${id}/restore`, { token: as }),
    get: (id: string) => send(app, 'GET', `/v1/users/${id}`, { token: token() }),
    async listIds(query: Record<string, string>) {
      const res = await send(app, 'GET', `/v1/users?${new URLSearchParams({ limit: '100', ...query }).toString()}`, {
        token: token(),
      });
      expect(res.status, res.text).to.equal(200);
      return (res.body.items as { id: string }[]).map((u) => u.id);
    },
  };
}
