import type { EntityManager, MikroORM } from '@mikro-orm/core';
import type { RefreshTokenStore } from '../../../domain/ports/refresh-token-store.js';
import { RefreshToken, type AuthMethod } from '../../../domain/session/refresh-token.js';
import { translateDbError } from './db-errors.js';
import { runStatement, type SqlParam } from './sql-statements.js';
import { contextEm } from './transaction-scope.js';

/**
 * The statements of a refresh (RefreshSession: find, check the family, spend, insert) as plain
 * statements (sql-statements.ts): through the ORM's query builder and hydration each cost several
 * times its round trip. Column names are those RefreshTokenSchema maps (and the migrations
 * create); change them together.
 */
const COLUMNS = 'id, family_id, user_id, token_digest, created_at, expires_at, spent_at, revoked_at, amr';
const BY_DIGEST = `select ${COLUMNS} from refresh_tokens where token_digest = ?`;
const REVOKED_IN_FAMILY =
  'select 1 as revoked from refresh_tokens where family_id = ? and revoked_at is not null limit 1';
const SPEND = 'update refresh_tokens set spent_at = ? where id = ? and spent_at is null';
const INSERT = `insert into refresh_tokens (${COLUMNS}) values (?, ?, ?, ?, ?, ?, ?, ?, ?)`;

interface TokenRow {
  id: string;
  family_id: string;
  user_id: string;
  token_digest: string;
  /** PostgreSQL: timestamptz text (the ORM's type parsers); SQLite: epoch milliseconds. */
  created_at: string | number;
  expires_at: string | number;
  spent_at: string | number | null;
  revoked_at: string | number | null;
  amr: string;
}

/**
 * Writes are single native statements (no unit of work): "spend" must be an atomic compare-and-set,
 * and reads bypass the identity map so a request sees what another request just changed. Inside a
 * unit of work every operation runs in its transaction (see transaction-scope.ts).
 */
export class MikroOrmRefreshTokenStore implements RefreshTokenStore {
  constructor(private readonly orm: MikroORM) {}

  private em(): EntityManager {
    return contextEm(this.orm);
  }

  insert(token: RefreshToken): Promise<void> {
    const t = token;
    return translateDbError(async () => {
      const values: SqlParam[] = [t.id, t.familyId, t.userId, t.tokenDigest, t.createdAt, t.expiresAt];
      await runStatement(this.orm, INSERT, [...values, t.spentAt, t.revokedAt, t.amr.join(' ')]);
    });
  }

  findByDigest(digest: string): Promise<RefreshToken | null> {
    return translateDbError(async () => {
      const [row] = (await runStatement<TokenRow>(this.orm, BY_DIGEST, [digest])).rows;
      if (!row) return null;
      const platform = this.orm.em.getPlatform();
      const date = (value: string | number) => platform.parseDate(value);
      return new RefreshToken(
        row.id,
        row.family_id,
        row.user_id,
        row.token_digest,
        date(row.created_at),
        date(row.expires_at),
        row.spent_at === null ? null : date(row.spent_at),
        row.revoked_at === null ? null : date(row.revoked_at),
        (row.amr ? row.amr.split(' ') : ['pwd']) as AuthMethod[],
      );
    });
  }

  spend(id: string, at: Date): Promise<boolean> {
    return translateDbError(async () => (await runStatement(this.orm, SPEND, [at, id])).rowCount === 1);
  }

  revokeFamily(familyId: string, at: Date): Promise<void> {
    return translateDbError(
      async () => void (await this.em().nativeUpdate(RefreshToken, { familyId, revokedAt: null }, { revokedAt: at })),
    );
  }

  revokeAllOfUser(userId: string, at: Date): Promise<void> {
    return translateDbError(
      async () => void (await this.em().nativeUpdate(RefreshToken, { userId, revokedAt: null }, { revokedAt: at })),
    );
  }

  isFamilyActive(familyId: string): Promise<boolean> {
    return translateDbError(
      async () => (await runStatement(this.orm, REVOKED_IN_FAMILY, [familyId])).rows.length === 0,
    );
  }
}
