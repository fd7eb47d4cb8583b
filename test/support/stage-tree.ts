import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { newPrivateKeyPem } from './fakes.js';
import type { Moto } from './moto.js';
import { createTestDatabase, requirePostgres, type TestDatabase } from './postgres.js';
import { putTree, useSsmTree, type SsmTree } from './ssm-trees.js';

export const ADMIN = { email: 'admin@portico.test', password: 'admin-pw-from-ssm-6d2b' };

/**
 * A dev tree of 12 parameters: moto answers them in the order written, ten a page, so the signing key
 * and the admin password only come with the second page. DB_NAME and the public settings are Strings.
 */
export function aStageTree(database: TestDatabase) {
  const strings = {
    DB_HOST: database.db.host,
    DB_PORT: String(database.db.port),
    DB_USER: database.db.user,
    DB_NAME: database.name,
  };
  const more = { JWT_ISSUER: 'portico-dev-from-ssm', JWT_AUDIENCE: 'portico-dev-api', ADMIN_EMAIL: ADMIN.email };
  const lists = { CORS_ORIGINS: 'https://app.dev.example,https://admin.dev.example' };
  const secure = {
    DB_PASSWORD: 'db-pw-from-ssm-41c9',
    STRIPE_KEY: 'sk_test_from_ssm_5e07',
    ADMIN_PASSWORD: ADMIN.password,
    JWT_PRIVATE_KEY: newPrivateKeyPem(),
  };
  return { strings: { ...strings, ...more }, lists, secure };
}

export async function writeStageTree(ssm: SSMClient, prefix: string, tree: ReturnType<typeof aStageTree>) {
  await putTree(ssm, prefix, tree.strings, 'String');
  await putTree(ssm, prefix, tree.lists, 'StringList');
  await putTree(ssm, prefix, tree.secure);
}

/** A value, and for a PEM each of its longer lines too: a key must not leak line by line either. */
export const tracesOf = (value: string) => [value, ...value.split('\n').filter((line) => line.length > 20)];

/** The settings an operator leaves in the environment; DB_NAME here must lose to the tree's. */
export const operatorEnv = (moto: Moto, prefix: string, dataDir: string) => ({
  SECRETS_SOURCE: 'ssm',
  STAGE: 'dev',
  SSM_PREFIX: prefix,
  AWS_REGION: moto.region,
  DB_DRIVER: 'postgres',
  DB_NAME: 'portico_not_this_one',
  DB_MIGRATE_ON_START: 'true',
  DATA_DIR: dataDir,
  HOST: '127.0.0.1',
  PORT: '0',
  BCRYPT_COST: '4',
});

export interface StageBoot extends SsmTree {
  /** The app's DATA_DIR, of its own. */
  dataDir: string;
  /** A fresh PostgreSQL database for the tree to name. */
  createDatabase(): Promise<TestDatabase>;
}

/**
 * For a describe block that boots the app from a stage tree: moto's SSM with a root of its own
 * (useSsmTree), PostgreSQL (the block is skipped, or fails under CI, without it) and a data dir of its
 * own. The databases it creates and the data dir are removed after the block.
 */
export function useStageBoot(): StageBoot {
  const boot = useSsmTree() as StageBoot;
  const databases: TestDatabase[] = [];
  boot.createDatabase = async () => {
    const database = await createTestDatabase();
    databases.push(database);
    return database;
  };
  before(async function () {
    await requirePostgres(this);
    boot.dataDir = mkdtempSync(path.join(os.tmpdir(), 'portico-ssm-boot-'));
  });
  after(async () => {
    for (const database of databases) await database.drop();
    if (boot.dataDir) rmSync(boot.dataDir, { recursive: true, force: true });
  });
  return boot;
}
