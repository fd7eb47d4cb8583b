import { expect } from 'chai';
import { newAccount, send } from './http-client.js';

/** Admin helpers over one running app for a user's status: create, set the status, disable, read. */
export function statusAdminOf(app: { url: string }, adminToken: () => string) {
  /** A user an admin created, with the account (email, password) and the user answered. */
  async function aUser(extra: object = {}) {
    const account = newAccount(extra);
    const res = await send(app, 'POST', '/v1/users', { token: adminToken(), json: account });
    expect(res.status, res.text).to.equal(201);
    return { ...account, id: res.body.user.id as string, user: res.body.user as Record<string, unknown> };
  }

  const setStatus = (id: string, status: unknown, token = adminToken()) =>
    send(app, 'PATCH', `/v1/users/${id}`, { token, json: { status } });

  async function disable(id: string) {
    const res = await setStatus(id, 'disabled');
    expect(res.status, res.text).to.equal(200);
    return res;
  }

  const adminView = async (id: string) => {
    const res = await send(app, 'GET', `/v1/users/${id}`, { token: adminToken() });
    expect(res.status, res.text).to.equal(200);
    return res.body.user as Record<string, unknown>;
  };

  return { aUser, setStatus, disable, adminView };
}
