// The bare baseline: plain Koa (no router, no middleware) answering the same JSON as the app's
// /health/live, and plain Koa + pg answering the same SELECT by primary key as GET /v1/users/{id}
// (without auth). Started by bench/run.ts as its own process; prints its port on stdout.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
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

const USER_BY_ID = 'select id, email, name, role, profile, created_at, updated_at from users where id = $1';
const userPath = /^\/v1\/users\/([0-9a-f-]{36})$/;

const app = new Koa();
app.use(async (ctx) => {
  if (ctx.path === '/health/live') {
    ctx.body = { status: 'ok' };
    return;
  }
  const id = userPath.exec(ctx.path)?.[1];
  if (!id) return; // 404
  const { rows } = await pool.query(USER_BY_ID, [id]);
  const row = rows[0];
  if (!row) return;
  ctx.body = {
    user: {
      id: row.id,
      email: row.email,
      name: row.name,
      role: row.role,
      profile: row.profile,
      createdAt: new Date(row.created_at).toISOString(),
      updatedAt: new Date(row.updated_at).toISOString(),
    },
  };
});

const server = http.createServer(app.callback());
server.keepAliveTimeout = 5_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});
process.once('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void pool.end().then(() => process.exit(0));
});
