import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseConfig, type Config } from '../../src/infrastructure/config.js';

export interface TestSqliteFile {
  db: Config['db'];
  remove(): Promise<void>;
}

/** A SQLite file of its own under the OS temp directory, removed (with its WAL files) afterwards. */
export async function createTestSqliteFile(): Promise<TestSqliteFile> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'portico-sqlite-'));
  const { db } = parseConfig({ DB_DRIVER: 'sqlite', DATA_DIR: dir });
  return { db, remove: () => rm(dir, { recursive: true, force: true }) };
}
