import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { newAccount, send } from './http-client.js';
import type { Made, Query } from './users-list.js';

/** The admin list over one running app: list, walk every page, and make, disable or remove users. */
export function listAdminOf(app: { url: string }, token: () => string) {
  const list = (query: Query, as = token()) =>
    send(app, 'GET', `/v1/users?${new URLSearchParams(query).toString()}`, { token: as });

  /** Every page of `query` at `limit`, following nextCursor; the ids in order and the pages' sizes. */
  async function walk(query: Query, limit: number) {
    const ids: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 200; pages++) {
      const res = await list({ ...query, limit: String(limit), ...(cursor ? { cursor } : {}) });
      expect(res.status, `${JSON.stringify(query)} ${res.text}`).to.equal(200);
      expect(res.body.items.length).to.be.at.most(limit);
      ids.push(...(res.body.items as { id: string }[]).map((u) => u.id));
      cursor = res.body.nextCursor as string | null;
      if (cursor === null) return ids;
      expect(cursor).to.be.a('string').and.not.empty;
    }
    throw new Error(`no last page for ${JSON.stringify(query)}`);
  }

  async function make(fields: { email: string; name: string; role?: 'user' | 'admin' }): Promise<Made> {
    const account = newAccount(fields);
    const res = await send(app, 'POST', '/v1/users', { token: token(), json: account });
    expect(res.status, res.text).to.equal(201);
    const user = res.body.user as { id: string; email: string; createdAt: string };
    // Distinct creation times, so the strict date filters and the createdAt order have one answer.
    await sleep(3);
    return {
      id: user.id,
      email: user.email,
      name: fields.name,
      role: fields.role ?? 'user',
      status: 'active',
      deleted: false,
      createdAt: user.createdAt,
    };
  }

  async function disable(user: Made) {
    const res = await send(app, 'PATCH', `/v1/users/${user.id}`, { token: token(), json: { status: 'disabled' } });
    expect(res.status, res.text).to.equal(200);
    user.status = 'disabled';
  }

  async function remove(user: Made) {
    const res = await send(app, 'DELETE', `/v1/users/${user.id}`, { token: token() });
    expect(res.status, res.text).to.equal(204);
    user.deleted = true;
  }

  return { list, walk, make, disable, remove };
}

export type ListAdmin = ReturnType<typeof listAdminOf>;
