import { createHash, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import bcrypt from 'bcrypt';
import pg from 'pg';
import { JoseTokenService } from '../src/adapters/auth/jose-token-service.js';
import { signingKeyFromPem } from '../src/adapters/auth/signing-key.js';
import { SystemClock } from '../src/adapters/system/system-clock.js';
import { createDatabase, seedUsers, server, type BenchDatabase, type Seeded } from './database.js';
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
}

/** Tokens as the app would issue them, each for its own user and its own (real) session row. */
async function mintTokens(pem: string, users: Seeded[], database: string, count: number) {
  const key = await signingKeyFromPem(pem);
  const tokens = new JoseTokenService({
    keys: () => [key],
    issuer: 'portico',
    audience: 'portico-api',
    accessTtlSeconds: 3600,
    clock: new SystemClock(),
  });
  const chosen = users.slice(0, count).map((u) => ({ ...u, sid: randomUUID() }));
  const client = new pg.Client({ ...server, database });
  await client.connect();
  await client.query(
    `insert into refresh_tokens (id, family_id, user_id, token_digest, created_at, expires_at)
     select gen_random_uuid(), t.sid, t.uid, t.digest, now(), now() + interval '1 day' from unnest($1::uuid[], $2::uuid[], $3::text[]) as t(sid, uid, digest)`,
    [chosen.map((c) => c.sid), chosen.map((c) => c.id), chosen.map(() => randomBytes(32).toString('hex'))],
  );
  await client.end();
  return Promise.all(
    chosen.map(async (c) => ({
      id: c.id,
      token: (await tokens.issueAccessToken({ id: c.id, role: 'user' }, c.sid)).token,
    })),
  );
}

export function appEnv(
  fixture: Pick<Fixture, 'dbEnv' | 'pem'>,
  settings: { bcryptCost: number; poolMax: number },
): Record<string, string> {
  return {
    ...fixture.dbEnv,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
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
  settings: { users: number; tokens: number; bcryptCost: number; poolMax: number },
  nodeArgs: string[] = [],
) {
  const database = await createDatabase();
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
    app = await startApp(appEnv({ dbEnv, pem }, settings), nodeArgs, process.env.BENCH_APP_DIR);
    const passwordHash = await bcrypt.hash(prehashed, settings.bcryptCost);
    const started = performance.now();
    const users = await seedUsers(database.name, settings.users, passwordHash);
    const signed = await mintTokens(pem, users, database.name, settings.tokens);
    process.stderr.write(
      `seeded ${users.length} users and ${signed.length} sessions in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
    );
    const fixture: Fixture = { database, dbEnv, pem, passwordHash, users, signed };
    return { fixture, app };
  } catch (error) {
    await app?.stop();
    await database.drop();
    throw error;
  }
}
