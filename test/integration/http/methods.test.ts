import net from 'node:net';
import { expect } from 'chai';
import { aSignedInUser, expectProblem, send } from '../../support/http-client.js';
import { startPortico, type Portico } from '../../support/portico.js';

const allowOf = (res: { headers: Headers }) => (res.headers.get('allow') ?? '').split(/,\s*/).filter(Boolean).sort();

/** fetch refuses TRACE, and node:http may be intercepted (nock) in this process: a raw socket sends it. */
function traced(app: Portico, path: string): Promise<{ status: number; allow: string[]; code: string }> {
  const { port } = new URL(app.url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), '127.0.0.1', () =>
      socket.end(`TRACE ${path} HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n`),
    );
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = '', body = ''] = text.split('\r\n\r\n');
      const allow = /^allow: (.*)$/im.exec(head)?.[1]?.split(/,\s*/) ?? [];
      resolve({ status: Number(head.split(' ')[1]), allow, code: (JSON.parse(body) as { code: string }).code });
    });
  });
}

describe('HTTP methods and paths, as OpenAPI matches them', () => {
  let app: Portico;
  let token: string;
  before(async () => {
    app = await startPortico({ FILE_STORE: 'memory' });
    ({ token } = await aSignedInUser(app));
  });
  after(() => app?.stop());

  it('lets a literal path outrank a templated one: /v1/files/uploads is not /v1/files/{id}', async () => {
    const options = await send(app, 'OPTIONS', '/v1/files/uploads', { token });
    expect(options.status).to.equal(200);
    expect(allowOf(options)).to.deep.equal(['POST']);
    for (const method of ['GET', 'DELETE']) {
      const res = await send(app, method, '/v1/files/uploads', { token });
      expectProblem(res, 405, 'REQUEST.METHOD_NOT_ALLOWED');
      expect(allowOf(res)).to.deep.equal(['POST']);
    }
    // The templated route still answers its own paths.
    expectProblem(
      await send(app, 'GET', '/v1/files/01890a5d-ac96-774b-bcce-b302099a8057', { token }),
      404,
      'FILE.NOT_FOUND',
    );
  });

  it('answers a method HTTP defines but no route takes 405 with Allow (or 404 off every route), and an unknown one 501', async () => {
    const trace = await traced(app, '/v1/users');
    expect(trace).to.include({ status: 405, code: 'REQUEST.METHOD_NOT_ALLOWED' });
    expect(trace.allow).to.include.members(['GET', 'POST']);
    expect(await traced(app, '/v1/nothing-here')).to.include({ status: 404, code: 'ROUTE.NOT_FOUND' });
    expectProblem(await send(app, 'PROPFIND', '/v1/users'), 501, 'REQUEST.NOT_IMPLEMENTED');
  });

  it('reads no body for a path or method no route takes: 405 and 404 come before any parsing', async () => {
    expectProblem(
      await send(app, 'PUT', '/v1/files?name=report.pdf', { token, raw: '""' }),
      405,
      'REQUEST.METHOD_NOT_ALLOWED',
    );
    expectProblem(await send(app, 'POST', '/v1/nothing-here', { raw: '{oops' }), 404, 'ROUTE.NOT_FOUND');
  });
});
