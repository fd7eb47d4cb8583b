import { expect } from 'chai';
import { MEMORY_BACKEND, SQL_BACKENDS, usePortico, type Backend } from '../../support/backends.js';
import { aSignedInUser, expectProblem, send, type Answer } from '../../support/http-client.js';
import { MONGO_BACKEND } from '../../support/mongo.js';

const BACKENDS: Backend[] = [MEMORY_BACKEND, ...SQL_BACKENDS, MONGO_BACKEND];
const STRONG_TAG = /^"[A-Za-z0-9_-]+"$/;
const etag = (res: Answer) => res.headers.get('etag') ?? '';
const merge = 'application/merge-patch+json';

for (const backend of BACKENDS) {
  describe(`conditional requests (RFC 9110) on ${backend.name}`, function () {
    const app = usePortico(backend);

    const uploaded = async (token: string) => {
      const res = await send(app, 'POST', '/v1/files?name=c.txt', { token, raw: 'bytes', contentType: 'text/plain' });
      expect(res.status, res.text).to.equal(201);
      return res.body.file.id as string;
    };

    it('tags a user on GET, GET /v1/auth/me, PUT and PATCH, and a new version gets a new tag', async () => {
      const alice = await aSignedInUser(app);
      const got = await send(app, 'GET', `/v1/users/${alice.id}`, { token: alice.token });
      expect(etag(got)).to.match(STRONG_TAG);
      expect(etag(await send(app, 'GET', '/v1/auth/me', { token: alice.token }))).to.equal(etag(got));
      const put = await send(app, 'PUT', `/v1/users/${alice.id}`, {
        token: alice.token,
        json: { email: alice.email, name: 'Put', profile: {} },
      });
      expect(put.status, put.text).to.equal(200);
      expect(etag(put)).to.match(STRONG_TAG).and.not.equal(etag(got));
      const patch = await send(app, 'PATCH', `/v1/users/${alice.id}`, {
        token: alice.token,
        json: { name: 'Patched' },
        contentType: merge,
      });
      expect(etag(patch)).to.match(STRONG_TAG).and.not.equal(etag(put));
      expect(etag(await send(app, 'GET', `/v1/users/${alice.id}`, { token: alice.token }))).to.equal(etag(patch));
    });

    it('answers 304 with the ETag and no body when If-None-Match names the current tag or is *', async () => {
      const alice = await aSignedInUser(app);
      const tag = etag(await send(app, 'GET', `/v1/users/${alice.id}`, { token: alice.token }));
      for (const [path, value] of [
        [`/v1/users/${alice.id}`, tag],
        [`/v1/users/${alice.id}`, `"other", W/${tag}`],
        ['/v1/auth/me', '*'],
      ] as const) {
        const res = await send(app, 'GET', path, { token: alice.token, headers: { 'If-None-Match': value } });
        expect(res.status, path).to.equal(304);
        expect(etag(res)).to.equal(tag);
        expect(res.text).to.equal('');
      }
      const stale = await send(app, 'GET', `/v1/users/${alice.id}`, {
        token: alice.token,
        headers: { 'If-None-Match': '"not-it"' },
      });
      expect(stale.status).to.equal(200);
      expect(stale.body.user.id).to.equal(alice.id);
    });

    it('refuses a stale If-Match on PUT, PATCH and DELETE of a user with 412, changing nothing', async () => {
      const alice = await aSignedInUser(app);
      const old = etag(await send(app, 'GET', `/v1/users/${alice.id}`, { token: alice.token }));
      const renamed = await send(app, 'PATCH', `/v1/users/${alice.id}`, {
        token: alice.token,
        json: { name: 'Current' },
        contentType: merge,
        headers: { 'If-Match': old },
      });
      expect(renamed.status, renamed.text).to.equal(200);
      const headers = { 'If-Match': old };
      const json = { email: alice.email, name: 'Stale', profile: {} };
      expectProblem(
        await send(app, 'PUT', `/v1/users/${alice.id}`, { token: alice.token, json, headers }),
        412,
        'PRECONDITION.FAILED',
      );
      expectProblem(
        await send(app, 'PATCH', `/v1/users/${alice.id}`, { token: alice.token, json, contentType: merge, headers }),
        412,
        'PRECONDITION.FAILED',
      );
      const weak = { 'If-Match': `W/${etag(renamed)}` };
      expectProblem(
        await send(app, 'DELETE', `/v1/users/${alice.id}`, { token: alice.token, headers: weak }),
        412,
        'PRECONDITION.FAILED',
      );
      expectProblem(
        await send(app, 'DELETE', `/v1/users/${alice.id}`, { token: alice.token, headers }),
        412,
        'PRECONDITION.FAILED',
      );
      const now = await send(app, 'GET', `/v1/users/${alice.id}`, { token: alice.token });
      expect(now.body.user.name).to.equal('Current');
      expect(etag(now)).to.equal(etag(renamed));
    });

    it('writes over a current tag, one of a list of tags, or *', async () => {
      const alice = await aSignedInUser(app);
      const tag = etag(await send(app, 'GET', `/v1/users/${alice.id}`, { token: alice.token }));
      const listed = await send(app, 'PATCH', `/v1/users/${alice.id}`, {
        token: alice.token,
        json: { name: 'Listed' },
        contentType: merge,
        headers: { 'If-Match': `"x", ${tag}` },
      });
      expect(listed.status, listed.text).to.equal(200);
      const any = await send(app, 'PATCH', `/v1/users/${alice.id}`, {
        token: alice.token,
        json: { name: 'Any' },
        contentType: merge,
        headers: { 'If-Match': '*' },
      });
      expect(any.status, any.text).to.equal(200);
      const gone = await send(app, 'DELETE', `/v1/users/${alice.id}`, {
        token: alice.token,
        headers: { 'If-Match': etag(any) },
      });
      expect(gone.status, gone.text).to.equal(204);
    });

    it('tags a file on GET, 304s on If-None-Match, and deletes it only on a current If-Match', async () => {
      const alice = await aSignedInUser(app);
      const id = await uploaded(alice.token);
      const got = await send(app, 'GET', `/v1/files/${id}`, { token: alice.token });
      expect(etag(got)).to.match(STRONG_TAG);
      const cached = await send(app, 'GET', `/v1/files/${id}`, {
        token: alice.token,
        headers: { 'If-None-Match': etag(got) },
      });
      expect(cached.status).to.equal(304);
      const otherUsersTag = etag(await send(app, 'GET', `/v1/users/${alice.id}`, { token: alice.token }));
      const stale = await send(app, 'DELETE', `/v1/files/${id}`, {
        token: alice.token,
        headers: { 'If-Match': otherUsersTag },
      });
      expectProblem(stale, 412, 'PRECONDITION.FAILED');
      expect((await send(app, 'GET', `/v1/files/${id}/content`, { token: alice.token })).text).to.equal('bytes');
      const deleted = await send(app, 'DELETE', `/v1/files/${id}`, {
        token: alice.token,
        headers: { 'If-Match': etag(got) },
      });
      expect(deleted.status, deleted.text).to.equal(204);
      expect((await send(app, 'GET', `/v1/files/${id}`, { token: alice.token })).status).to.equal(404);
    });

    it('lets exactly one of 6 concurrent PATCHes with the same If-Match through; the rest get 412', async () => {
      const alice = await aSignedInUser(app);
      const tag = etag(await send(app, 'GET', `/v1/users/${alice.id}`, { token: alice.token }));
      const answers = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          send(app, 'PATCH', `/v1/users/${alice.id}`, {
            token: alice.token,
            json: { name: `Writer ${i}` },
            contentType: merge,
            headers: { 'If-Match': tag },
          }),
        ),
      );
      const statuses = answers.map((a) => a.status).sort();
      expect(statuses).to.deep.equal([200, 412, 412, 412, 412, 412]);
      const winner = answers.find((a) => a.status === 200)!;
      const now = await send(app, 'GET', `/v1/users/${alice.id}`, { token: alice.token });
      expect(now.body.user.name).to.equal(winner.body.user.name);
      expect(etag(now)).to.equal(etag(winner));
    });

    describe('with REQUIRE_IF_MATCH=true', () => {
      const strict = usePortico(backend, { REQUIRE_IF_MATCH: 'true' });

      it('answers 428 to a write without If-Match, and takes one with it', async () => {
        const alice = await aSignedInUser(strict);
        const id = await (async () => {
          const res = await send(strict, 'POST', '/v1/files?name=s.txt', {
            token: alice.token,
            raw: 'bytes',
            contentType: 'text/plain',
          });
          return res.body.file.id as string;
        })();
        const json = { email: alice.email, name: 'Strict', profile: {} };
        expectProblem(
          await send(strict, 'PUT', `/v1/users/${alice.id}`, { token: alice.token, json }),
          428,
          'PRECONDITION.REQUIRED',
        );
        expectProblem(
          await send(strict, 'PATCH', `/v1/users/${alice.id}`, { token: alice.token, json: {}, contentType: merge }),
          428,
          'PRECONDITION.REQUIRED',
        );
        expectProblem(
          await send(strict, 'DELETE', `/v1/files/${id}`, { token: alice.token }),
          428,
          'PRECONDITION.REQUIRED',
        );
        expectProblem(
          await send(strict, 'DELETE', `/v1/users/${alice.id}`, { token: alice.token }),
          428,
          'PRECONDITION.REQUIRED',
        );
        const put = await send(strict, 'PUT', `/v1/users/${alice.id}`, {
          token: alice.token,
          json,
          headers: { 'If-Match': '*' },
        });
        expect(put.status, put.text).to.equal(200);
        expect(put.body.user.name).to.equal('Strict');
      });
    });
  });
}

describe('conditional requests in /openapi.json', () => {
  const app = usePortico(MEMORY_BACKEND);

  it('documents If-None-Match, ETag and 304 on the tagged GETs, and If-Match, 412 and 428 on the guarded writes', async () => {
    type Operation = { operationId: string; parameters?: { in: string; name: string }[]; responses: object };
    const doc = (await send(app, 'GET', '/openapi.json')).body as { paths: Record<string, Record<string, Operation>> };
    const operations = Object.values(doc.paths).flatMap((methods) => Object.values(methods));
    const withHeader = (name: string) =>
      operations
        .filter((op) => op.parameters?.some((p) => p.in === 'header' && p.name === name))
        .map((op) => op.operationId)
        .sort();
    expect(withHeader('If-None-Match')).to.deep.equal(['getFile', 'getUser', 'me']);
    expect(withHeader('If-Match')).to.deep.equal(['deleteFile', 'deleteUser', 'patchUser', 'replaceUser']);
    for (const op of operations) {
      const statuses = Object.keys(op.responses);
      const reads = withHeader('If-None-Match').includes(op.operationId);
      const writes = withHeader('If-Match').includes(op.operationId);
      expect(statuses.includes('304'), op.operationId).to.equal(reads);
      expect(statuses.includes('412') && statuses.includes('428'), op.operationId).to.equal(writes);
    }
  });
});
