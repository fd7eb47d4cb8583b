import { expect } from 'chai';

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed JSON body; undefined when the body is not JSON. */
  body: Record<string, unknown> & { [key: string]: any };
}

export interface SendOptions {
  json?: unknown;
  /** Sent as is, with `contentType` (default application/json). */
  raw?: string;
  contentType?: string;
  token?: string;
  headers?: Record<string, string>;
}

export async function send(
  app: { url: string },
  method: string,
  path: string,
  options: SendOptions = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.json !== undefined || options.raw !== undefined) {
    body = options.raw ?? JSON.stringify(options.json);
    headers['content-type'] = options.contentType ?? 'application/json';
  }
  const res = await fetch(app.url + path, { method, headers, body });
  const text = await res.text();
  let parsed: Answer['body'];
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = {};
  }
  return { status: res.status, headers: res.headers, text, body: parsed };
}

const PROBLEM_KEYS = ['type', 'title', 'status', 'detail', 'code', 'requestId', 'errors'];

/** The contract's error shape, with nothing else in it. */
export function expectProblem(res: Answer, status: number, code: string): void {
  expect(res.status, res.text).to.equal(status);
  expect(res.headers.get('content-type')).to.match(/^application\/problem\+json/);
  expect(res.body.status).to.equal(status);
  expect(res.body.code).to.equal(code);
  for (const key of ['type', 'title', 'detail', 'requestId'])
    expect(res.body[key], key).to.be.a('string').and.not.empty;
  expect(Object.keys(res.body).filter((k) => !PROBLEM_KEYS.includes(k))).to.deep.equal([]);
  expect(res.body.requestId).to.equal(res.headers.get('x-request-id'));
  expect(res.text).not.to.match(/\bat .+\.(ts|js):\d+|node_modules|\/work\//);
}

/** 503 DB.UNAVAILABLE with a Retry-After, saying nothing that matches `unsaid` (the driver's or the SQL's words). */
export function expectDbUnavailable(res: Answer, unsaid?: RegExp): void {
  expectProblem(res, 503, 'DB.UNAVAILABLE');
  expect(Number(res.headers.get('retry-after'))).to.be.greaterThan(0);
  if (unsaid) expect(res.text).not.to.match(unsaid);
}

let counter = 0;
export const newAccount = (extra: object = {}) => ({
  email: `person${++counter}-${Date.now()}@example.com`,
  password: 'correct horse battery',
  name: `Person ${counter}`,
  ...extra,
});

export async function login(app: { url: string }, email: string, password: string): Promise<string> {
  const res = await send(app, 'POST', '/v1/auth/login', { json: { email, password } });
  expect(res.status, res.text).to.equal(200);
  return res.body.accessToken as string;
}

/** A registered, logged-in user: the account, its id, its access token and its refresh token. */
export async function aSignedInUser(app: { url: string }) {
  const account = newAccount();
  const res = await send(app, 'POST', '/v1/auth/register', { json: account });
  expect(res.status, res.text).to.equal(201);
  const session = await send(app, 'POST', '/v1/auth/login', {
    json: { email: account.email, password: account.password },
  });
  expect(session.status, session.text).to.equal(200);
  const { accessToken, refreshToken } = session.body as { accessToken: string; refreshToken: string };
  return { ...account, id: res.body.user.id as string, token: accessToken, refreshToken };
}
