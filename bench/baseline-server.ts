// The bare baselines, one process, started by bench/run.ts; prints its port on stdout. Plain Koa (no
// router, no middleware) answering:
// - GET /health/live: the same JSON as the app's liveness probe;
// - GET /v1/users/{id}: the same SELECT by primary key as the app, the same JSON shape (no auth);
// - GET /v1/users?limit=&cursor=: the same keyset SELECT, page and cursor shape as the app's list;
// - POST /v1/auth/refresh: the same rotation statements in one transaction (read the token, check
//   its family, spend it, insert its successor, read the user), then an ES256 access token signed
//   with jose, as the app must answer one;
// - GET /v1/files/{id}/content: the file at BENCH_DOWNLOAD_PATH streamed from disk;
// and, ahead of Koa, plain node:http for POST /upload: the body piped to a file under
// BENCH_UPLOAD_DIR (what the app's POST /v1/files to local disk is measured against).
import { createHash, createHmac, randomBytes, randomUUID, createPrivateKey } from 'node:crypto';
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { SignJWT } from 'jose';
import Koa from 'koa';
import pg from 'pg';

const pool = new pg.Pool({
  host: process.env.DB_HOST ?? '127.0.0.1',
  port: Number(process.env.DB_PORT ?? 5432),
  user: process.env.DB_USER ?? 'postgres',
  password: process.env.DB_PASSWORD ?? '',
  database: process.env.DB_NAME,
  max: Number(process.env.DB_POOL_MAX ?? 10),
});

const COLUMNS = 'id, email, name, role, profile, email_verified_at, totp_enabled_at, created_at, updated_at';
const USER_BY_ID = `select ${COLUMNS} from users where id = $1`;
const FIRST_PAGE = `select ${COLUMNS} from users order by id limit $1`;
const NEXT_PAGE = `select ${COLUMNS} from users where id > $1 order by id limit $2`;
const userPath = /^\/v1\/users\/([0-9a-f-]{36})$/;
const filePath = /^\/v1\/files\/[0-9a-f-]{36}\/content$/;

interface UserRow {
  id: string;
  email: string;
  name: string;
  role: string;
  profile: unknown;
  email_verified_at: Date | null;
  totp_enabled_at: Date | null;
  created_at: Date;
  updated_at: Date;
}
const view = (row: UserRow) => ({
  id: row.id,
  email: row.email,
  name: row.name,
  role: row.role,
  profile: row.profile,
  emailVerifiedAt: row.email_verified_at ? new Date(row.email_verified_at).toISOString() : null,
  mfa: { totp: row.totp_enabled_at !== null },
  createdAt: new Date(row.created_at).toISOString(),
  updatedAt: new Date(row.updated_at).toISOString(),
});

async function listUsers(ctx: Koa.Context): Promise<void> {
  const limit = Math.min(100, Math.max(1, Number(ctx.query.limit ?? 20)));
  const cursor = typeof ctx.query.cursor === 'string' ? ctx.query.cursor : undefined;
  const after = cursor ? (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { a: string }).a : undefined;
  const { rows } = await (after === undefined
    ? pool.query<UserRow>(FIRST_PAGE, [limit + 1])
    : pool.query<UserRow>(NEXT_PAGE, [after, limit + 1]));
  const items = rows.slice(0, limit).map(view);
  const last = rows.length > limit ? items.at(-1)?.id : undefined;
  ctx.body = { items, nextCursor: last ? Buffer.from(JSON.stringify({ a: last })).toString('base64url') : null };
}

const signingKey = process.env.JWT_PRIVATE_KEY ? createPrivateKey(process.env.JWT_PRIVATE_KEY) : undefined;
const successorKey = randomBytes(32);

async function readJson(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  let text = '';
  for await (const chunk of req) text += (chunk as Buffer).toString();
  return JSON.parse(text) as Record<string, unknown>;
}

async function refresh(ctx: Koa.Context): Promise<void> {
  const { refreshToken } = await readJson(ctx.req);
  if (typeof refreshToken !== 'string' || !signingKey) {
    ctx.status = 400;
    return;
  }
  const next = 'rt_' + createHmac('sha256', successorKey).update(refreshToken).digest('base64url');
  const client = await pool.connect();
  let user: { id: string; role: string } | undefined;
  let familyId: string | undefined;
  try {
    await client.query('begin');
    const found = await client.query<{ id: string; family_id: string; user_id: string; amr: string }>(
      'select id, family_id, user_id, amr from refresh_tokens where token_digest = $1 and revoked_at is null and expires_at > now()',
      [createHash('sha256').update(refreshToken).digest('hex')],
    );
    const token = found.rows[0];
    const revoked = token
      ? await client.query('select count(*) from refresh_tokens where family_id = $1 and revoked_at is not null', [
          token.family_id,
        ])
      : undefined;
    const spent = token
      ? await client.query('update refresh_tokens set spent_at = now() where id = $1 and spent_at is null', [token.id])
      : undefined;
    if (!token || Number(revoked?.rows[0].count) > 0 || spent?.rowCount !== 1) {
      await client.query('rollback');
      ctx.status = 401;
      return;
    }
    await client.query(
      `insert into refresh_tokens (id, family_id, user_id, token_digest, created_at, expires_at, amr)
       values ($1, $2, $3, $4, now(), now() + interval '30 days', $5)`,
      [randomUUID(), token.family_id, token.user_id, createHash('sha256').update(next).digest('hex'), token.amr],
    );
    user = (await client.query<{ id: string; role: string }>(USER_BY_ID, [token.user_id])).rows[0];
    familyId = token.family_id;
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
  if (!user) {
    ctx.status = 401;
    return;
  }
  const now = Math.floor(Date.now() / 1000);
  const accessToken = await new SignJWT({ role: user.role, amr: ['pwd'], sid: familyId })
    .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt' })
    .setIssuer('portico')
    .setAudience('portico-api')
    .setSubject(user.id)
    .setIssuedAt(now)
    .setExpirationTime(now + 900)
    .setJti(randomUUID())
    .sign(signingKey);
  ctx.body = { accessToken, tokenType: 'Bearer', expiresIn: 900, refreshToken: next };
}

const app = new Koa();
app.use(async (ctx) => {
  if (ctx.path === '/health/live') {
    ctx.body = { status: 'ok' };
    return;
  }
  if (ctx.path === '/v1/users') return listUsers(ctx);
  if (ctx.path === '/v1/auth/refresh' && ctx.method === 'POST') return refresh(ctx);
  if (filePath.test(ctx.path) && process.env.BENCH_DOWNLOAD_PATH) {
    const file = process.env.BENCH_DOWNLOAD_PATH;
    ctx.type = 'application/octet-stream';
    ctx.length = statSync(file).size;
    ctx.body = createReadStream(file);
    return;
  }
  const id = userPath.exec(ctx.path)?.[1];
  if (!id) return; // 404
  const { rows } = await pool.query<UserRow>(USER_BY_ID, [id]);
  const row = rows[0];
  if (!row) return;
  ctx.body = { user: view(row) };
});
const koa = app.callback();

/** Bare node:http: the request body piped to a file, 201 with its size. */
function upload(req: http.IncomingMessage, res: http.ServerResponse): void {
  const target = path.join(process.env.BENCH_UPLOAD_DIR ?? '/tmp', `upload-${randomUUID()}`);
  let size = 0;
  req.on('data', (chunk: Buffer) => (size += chunk.length));
  pipeline(req, createWriteStream(target)).then(
    () => {
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ size, path: target }));
    },
    () => {
      res.writeHead(500);
      res.end();
    },
  );
}

const server = http.createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/upload') return upload(req, res);
  return koa(req, res);
});
server.keepAliveTimeout = 5_000;
server.requestTimeout = 0;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});
process.once('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void pool.end().then(() => process.exit(0));
});
