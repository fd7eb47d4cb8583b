import { expect } from 'chai';
import { v7 } from 'uuid';
import { HmacOpaqueTokens } from '../../../src/adapters/auth/hmac-opaque-tokens.js';
import { MikroOrmAccountTokenStore } from '../../../src/adapters/persistence/mikro-orm/mikro-orm-account-token-store.js';
import { MikroOrmMailQueue } from '../../../src/adapters/persistence/mikro-orm/mikro-orm-mail-queue.js';
import { MikroOrmRefreshTokenStore } from '../../../src/adapters/persistence/mikro-orm/mikro-orm-refresh-token-store.js';
import { MikroOrmUnitOfWork } from '../../../src/adapters/persistence/mikro-orm/mikro-orm-unit-of-work.js';
import { MikroOrmUserStore } from '../../../src/adapters/persistence/mikro-orm/mikro-orm-user-store.js';
import { RefreshSession } from '../../../src/application/sessions/refresh-session.js';
import { StartSession } from '../../../src/application/sessions/start-session.js';
import { DomainError } from '../../../src/domain/errors.js';
import type { RefreshToken } from '../../../src/domain/session/refresh-token.js';
import type { User } from '../../../src/domain/user/user.js';
import { anAccountToken } from '../../support/account-tokens.js';
import { aRefreshToken, at, aUser, aUserIn } from '../../support/builders.js';
import { ManualClock, uuidV7Ids } from '../../support/fakes.js';
import { rejectionOf } from '../../support/rejection.js';
import { stubThrottle, stubTokens } from '../../support/stubs.js';
import { emptyTables, forEachSqlDialect } from '../../support/sql.js';

const verified = (user: User): User =>
  Object.assign(aUser({ ...user }), { name: 'Verified Ada', emailVerifiedAt: at(60), updatedAt: at(60) });
/** As stored after that one update: the version counts it. */
const verifiedStored = (user: User): User => Object.assign(verified(user), { version: user.version + 1 });

forEachSqlDialect((dialect, orm) => {
  describe(`MikroOrmUnitOfWork on ${dialect}`, () => {
    const stores = () => ({
      unitOfWork: new MikroOrmUnitOfWork(orm()),
      users: new MikroOrmUserStore(orm()),
      tokens: new MikroOrmAccountTokenStore(orm()),
      sessions: new MikroOrmRefreshTokenStore(orm()),
      mail: new MikroOrmMailQueue(orm(), dialect === 'SQLite' ? 'sqlite' : 'postgres'),
    });
    const queued = async () =>
      (await stores().mail.claim({ now: new Date(), limit: 10, claimTtlMs: 1_000, owner: 'p' })).map((c) => c.id);
    afterEach(() => emptyTables(orm(), 'mail_outbox', 'account_tokens', 'refresh_tokens', 'users'));

    /** A user with a session, and what one account flow writes for them, run in one unit of work. */
    async function accountFlow(fail?: Error) {
      const { unitOfWork, users, tokens, sessions, mail } = stores();
      const user = await aUserIn(users);
      const session = aRefreshToken(user.id);
      await sessions.insert(session);
      const [token, mailId, newcomer] = [anAccountToken(user.id), v7(), aUser()];
      const run = unitOfWork.run(async () => {
        await users.update(verified(user));
        await users.create(newcomer);
        expect(await tokens.insert(token)).to.equal(true);
        await mail.enqueue({ to: user.email, subject: 'Reset', text: 'Your link' }, { id: mailId, now: new Date() });
        await sessions.revokeAllOfUser(user.id, at(60));
        if (fail) throw fail;
        return 'done';
      });
      return { user, session, token, mailId, newcomer, run };
    }

    it('commits every write of a run that succeeds, and answers what the work returned', async () => {
      const { user, session, token, mailId, newcomer, run } = await accountFlow();
      expect(await run).to.equal('done');
      const { users, tokens, sessions } = stores();
      expect(await users.findById(user.id)).to.deep.equal(verifiedStored(user));
      expect(await users.findById(newcomer.id)).to.deep.equal(newcomer);
      expect(await tokens.findByDigest(token.digest)).to.deep.equal(token);
      expect(await queued()).to.deep.equal([mailId]);
      expect(await sessions.isFamilyActive(session.familyId)).to.equal(false);
    });

    it('rolls every write back when the work throws, and rethrows that very error', async () => {
      const failure = new DomainError('REQUEST.INVALID', 'no');
      const { user, session, token, newcomer, run } = await accountFlow(failure);
      expect(await rejectionOf(run)).to.equal(failure);
      const { users, tokens, sessions } = stores();
      expect(await users.findById(user.id)).to.deep.equal(user);
      expect(await users.findById(newcomer.id)).to.equal(null);
      expect(await tokens.findByDigest(token.digest)).to.equal(null);
      expect(await queued()).to.deep.equal([]);
      expect(await sessions.isFamilyActive(session.familyId)).to.equal(true);
    });

    it("reads the run's own writes inside it, without waiting for a connection the run holds", async () => {
      const { unitOfWork, users, tokens } = stores();
      const user = await aUserIn(users);
      const token = anAccountToken(user.id);
      const started = performance.now();
      const seen = await unitOfWork.run(async () => {
        await users.update(verified(user));
        await tokens.insert(token);
        return {
          byId: await users.findById(user.id),
          byEmail: await users.findByEmail(user.email),
          token: await tokens.findByDigest(token.digest),
        };
      });
      expect(performance.now() - started).to.be.below(1_000);
      expect(seen).to.deep.equal({ byId: verifiedStored(user), byEmail: verifiedStored(user), token });
    });

    it('answers false for a duplicate digest inside a run and still commits the rest', async () => {
      const { unitOfWork, users, tokens } = stores();
      const user = await aUserIn(users);
      const first = anAccountToken(user.id);
      await tokens.insert(first);
      const second = anAccountToken(user.id, { purpose: 'verify-email' });
      const inserted = await unitOfWork.run(async () => {
        const clash = await tokens.insert(anAccountToken(user.id, { digest: first.digest }));
        await tokens.insert(second);
        return clash;
      });
      expect(inserted).to.equal(false);
      expect(await tokens.findByDigest(second.digest)).to.deep.equal(second);
    });

    it('rolls back a delete and a consume made inside a failed run', async () => {
      const { unitOfWork, users, tokens } = stores();
      const user = await aUserIn(users);
      const token = anAccountToken(user.id);
      await tokens.insert(token);
      const run = unitOfWork.run(async () => {
        expect(await tokens.consume(token.id)).to.equal(true);
        expect(await users.delete(user.id)).to.equal(true);
        throw new Error('mail could not be queued');
      });
      expect((await rejectionOf(run)).message).to.equal('mail could not be queued');
      expect(await users.findById(user.id)).to.deep.equal(user);
      expect(await tokens.findByDigest(token.digest)).to.deep.equal(token);
    });

    it('rotates a refresh token in one transaction: a failed insert of the successor leaves the token unspent', async () => {
      const { unitOfWork, users, sessions } = stores();
      const user = await aUserIn(users);
      const opaque = new HmacOpaqueTokens(Buffer.alloc(32, 1));
      const presented = opaque.create();
      const clock = new ManualClock(new Date());
      const settings = { refreshTtlSeconds: 3_600, reuseGraceSeconds: 10 };
      await sessions.insert(
        Object.assign(aRefreshToken(user.id), {
          tokenDigest: opaque.digest(presented),
          expiresAt: new Date(Date.now() + 86_400_000),
        }),
      );
      let failInsert = true;
      const flaky = Object.assign(Object.create(sessions) as MikroOrmRefreshTokenStore, {
        insert: async (token: RefreshToken) => {
          if (failInsert) throw new Error('connection lost before the successor was written');
          return sessions.insert(token);
        },
      });
      const refresh = new RefreshSession(
        flaky,
        opaque,
        users,
        stubTokens(),
        clock,
        new StartSession(flaky, opaque, uuidV7Ids(), clock, users, settings),
        stubThrottle(),
        unitOfWork,
        settings,
      );
      const failed = await rejectionOf(refresh.execute({ refreshToken: presented }));
      expect(failed.message).to.equal('connection lost before the successor was written');
      expect((await sessions.findByDigest(opaque.digest(presented)))?.spentAt).to.equal(null);
      // So the client's retry rotates normally, and the successor is there to be spent next.
      failInsert = false;
      const { refreshToken } = await refresh.execute({ refreshToken: presented });
      expect((await sessions.findByDigest(opaque.digest(presented)))?.spentAt).to.be.instanceOf(Date);
      expect(await sessions.findByDigest(opaque.digest(refreshToken))).to.include({ spentAt: null, userId: user.id });
    });
  });
});
