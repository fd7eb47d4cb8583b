import { createHash, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import bcrypt from 'bcrypt';
import pg from 'pg';
import { JoseTokenService } from '../src/adapters/auth/jose-token-service.js';
import { signingKeyFromPem } from '../src/adapters/auth/signing-key.js';
import { SystemClock } from '../src/adapters/system/system-clock.js';
import { createDatabase, seedUsers, server, setRole, type BenchDatabase, type Seeded } from './database.js';
import { startApp, type Served } from './processes.js';

export const PASSWORD = 'bench password 1';
// The app's BcryptPasswordHasher compares bcrypt(SHA-384(password) as base64); so does the baseline.
export const prehashed = createHash('sha384').update(PASSWORD, 'utf8').digest('base64');
export const pick = <T>(items: T[]): T => items[Math.floor(Math.random() * items.length)]!;

export interface Fixture {
  database: BenchDatabase;
  /** Environment of the app and the baseline: the same database. */
  dbEnv: Record<string, string>;
  pem: string;
  passwordHash: string;
  users: Seeded[];
  signed: Array<{ id: string; token: string }>;
  /** An admin's access token (the list scenarios). */
  admin: string;
  /** Unspent refresh tokens, each of its own session: one set for the app, one for the baseline. */
  refresh: { app: string[]; baseline: string[] };
  /** FILES_DIR of the app (FILE_STORE=local) and a scratch dir for the baseline's uploads. */
  filesDir: string;
  scratchDir: string;
  /** A 1 MiB file uploaded through the app: its id, its owner's token, and where its bytes are on disk. */
  download: { id: string; token: string; blobPath: string };
}

/**
 * Sessions as the app makes them: a refresh-token row per session (its digest the SHA-256 of the
 * token, as HmacOpaqueTokens), and an access token naming the session, for each user given.
 */
async function mintSessions(pem: string, users: Array<Seeded & { role?: string }>, database: string) {
  const key = await signingKeyFromPem(pem);
  const tokens = new JoseTokenService({
    keys: () => [key],
    issuer: 'portico',
    audience: 'portico-api',
    accessTtlSeconds: 3600,
    clock: new SystemClock(),
  });
  const chosen = users.map((u) => ({
    ...u,
    sid: randomUUID(),
    refresh: `rt_${randomBytes(32).toString('base64url')}`,
  }));
  const client = new pg.Client({ ...server, database });
  await client.connect();
  await client.query(
    `insert into refresh_tokens (id, family_id, user_id, token_digest, created_at, expires_at)
     select gen_random_uuid(), t.sid, t.uid, t.digest, now(), now() + interval '1 day' from unnest($1::uuid[], $2::uuid[], $3::text[]) as t(sid, uid, digest)`,
    [
      chosen.map((c) => c.sid),
      chosen.map((c) => c.id),
      chosen.map((c) => createHash('sha256').update(c.refresh).digest('hex')),
    ],
  );
  await client.end();
  return Promise.all(
    chosen.map(async (c) => ({
      id: c.id,
      refresh: c.refresh,
      token: (await tokens.issueAccessToken({ id: c.id, role: c.role === 'admin' ? 'admin' : 'user' }, c.sid)).token,
    })),
  );
}

/** One 1 MiB file through the app's own POST /v1/files (FILE_STORE=local), and where its bytes landed. */
async function uploadForDownload(appUrl: string, token: string, filesDir: string) {
  const res = await fetch(`${appUrl}/v1/files?name=bench-download.bin`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
    body: randomBytes(1024 * 1024),
  });
  if (res.status !== 201) throw new Error(`the download fixture's upload answered ${res.status}: ${await res.text()}`);
  const { file } = (await res.json()) as { file: { id: string; ownerId: string } };
  // The local store's layout (src/adapters/files/local-disk/disk-layout.ts): metadata names the blob.
  const metaDir = path.join(filesDir, 'objects', 'files', file.ownerId);
  const [meta] = (await readdir(metaDir)).filter((name) => name.endsWith('.json'));
  if (!meta) throw new Error(`no metadata under ${metaDir}`);
  const { blob } = JSON.parse(await readFile(path.join(metaDir, meta), 'utf8')) as { blob: string };
  return { id: file.id, token, blobPath: path.join(filesDir, 'blobs', blob) };
}

export function appEnv(
  fixture: Pick<Fixture, 'dbEnv' | 'pem' | 'filesDir'>,
  settings: { bcryptCost: number; poolMax: number },
): Record<string, string> {
  return {
    ...fixture.dbEnv,
    FILE_STORE: 'local',
    FILES_DIR: fixture.filesDir,
    // The bench is one client: the per-client refresh quota would otherwise refuse it within a second.
    REFRESH_MAX_PER_CLIENT: '1000000',
    NODE_ENV: 'production',
    // Production's level: a line per request, written to a file (bench/processes.ts).
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
    DB_DRIVER: 'postgres',
    DB_MIGRATE_ON_START: 'true',
    JWT_PRIVATE_KEY: fixture.pem,
    PUBLIC_APP_URL: 'https://app.bench.example',
    MFA_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
    BCRYPT_COST: String(settings.bcryptCost),
    DB_POOL_MAX: String(settings.poolMax),
    LOGIN_MAX_FAILURES_PER_CLIENT: '100000',
    CLUSTER_WORKERS: '1',
  };
}

/** A fresh database, migrated by the app's first start, then seeded directly (one statement per table). */
export async function prepare(
  settings: { users: number; tokens: number; refreshTokens: number; bcryptCost: number; poolMax: number },
  nodeArgs: string[] = [],
) {
  const database = await createDatabase();
  const filesDir = await mkdtemp(path.join(tmpdir(), 'portico-bench-files-'));
  const scratchDir = await mkdtemp(path.join(tmpdir(), 'portico-bench-scratch-'));
  const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString();
  const dbEnv = {
    DB_HOST: server.host,
    DB_PORT: String(server.port),
    DB_USER: server.user,
    DB_PASSWORD: server.password,
    DB_NAME: database.name,
  };
  let app: Served | undefined;
  try {
    // BENCH_APP_DIR runs the app from another checkout (an older commit, to compare), same harness.
    app = await startApp(appEnv({ dbEnv, pem, filesDir }, settings), nodeArgs, process.env.BENCH_APP_DIR);
    const passwordHash = await bcrypt.hash(prehashed, settings.bcryptCost);
    const started = performance.now();
    const [admin, ...users] = await seedUsers(database.name, settings.users + 1, passwordHash);
    await setRole(database.name, admin!.id, 'admin');
    const sessions = await mintSessions(
      pem,
      [{ ...admin!, role: 'admin' }, ...users.slice(0, Math.max(settings.tokens, 2 * settings.refreshTokens))],
      database.name,
    );
    const [adminSession, ...userSessions] = sessions;
    const signed = userSessions.slice(0, settings.tokens).map(({ id, token }) => ({ id, token }));
    const refresh = {
      app: userSessions.slice(0, settings.refreshTokens).map((s) => s.refresh),
      baseline: userSessions.slice(settings.refreshTokens, 2 * settings.refreshTokens).map((s) => s.refresh),
    };
    const download = await uploadForDownload(app.url, signed[0]!.token, filesDir);
    process.stderr.write(
      `seeded ${users.length} users, an admin and ${sessions.length} sessions in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
    );
    const fixture: Fixture = {
      database,
      dbEnv,
      pem,
      passwordHash,
      users,
      signed,
      admin: adminSession!.token,
      refresh,
      filesDir,
      scratchDir,
      download,
    };
    return { fixture, app };
  } catch (error) {
    await app?.stop();
    await database.drop();
    await cleanUp({ filesDir, scratchDir });
    throw error;
  }
}

export async function cleanUp(dirs: Pick<Fixture, 'filesDir' | 'scratchDir'>): Promise<void> {
  for (const dir of [dirs.filesDir, dirs.scratchDir]) await rm(dir, { recursive: true, force: true });
}
