import { expect } from 'chai';
import { v7 } from 'uuid';
import { InMemoryMailQueue } from '../../../src/adapters/persistence/in-memory/in-memory-mail-queue.js';
import { MikroOrmMailQueue } from '../../../src/adapters/persistence/mikro-orm/mikro-orm-mail-queue.js';
import { rejectionOf } from '../../support/rejection.js';
import { emptyTables, forEachSqlDialect } from '../../support/sql.js';
import { mailQueueContract } from './mail-queue.contract.js';

const message = { to: 'ada@example.com', subject: 'Reset', text: 'Your link' };

mailQueueContract('in memory', async () => ({ queue: new InMemoryMailQueue(), cleanup: async () => {} }));

forEachSqlDialect((dialect, orm) => {
  const queue = () => new MikroOrmMailQueue(orm(), dialect === 'SQLite' ? 'sqlite' : 'postgres');
  const cleanup = () => emptyTables(orm(), 'mail_outbox');

  mailQueueContract(dialect, async () => ({ queue: queue(), cleanup }));

  describe(`enqueueing mail in the caller's transaction on ${dialect}`, () => {
    afterEach(cleanup);
    const claimAll = () => queue().claim({ now: new Date(), limit: 10, claimTtlMs: 1_000, owner: 'p' });

    it('commits the message with the transaction around it', async () => {
      const id = v7();
      await orm()
        .em.fork()
        .transactional(() => queue().enqueue(message, { id, now: new Date() }));
      expect((await claimAll()).map((c) => c.id)).to.deep.equal([id]);
    });

    it('rolls the message back with the transaction around it', async () => {
      const failed = orm()
        .em.fork()
        .transactional(async () => {
          await queue().enqueue(message, { id: v7(), now: new Date() });
          throw new Error('the token could not be stored');
        });
      expect((await rejectionOf(failed)).message).to.equal('the token could not be stored');
      expect(await claimAll()).to.deep.equal([]);
    });
  });
});
