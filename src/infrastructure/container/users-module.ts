import { ContainerModule } from 'inversify';
import type { Logger } from 'pino';
import { AccountMail } from '../../application/accounts/account-mail.js';
import { usersRoutes } from '../../adapters/http/routes/users.js';
import { DeleteUserFiles } from '../../application/files/delete-user-files.js';
import { RevokeUserSessions } from '../../application/sessions/revoke-user-sessions.js';
import { CreateUser } from '../../application/users/create-user.js';
import { DeleteUser } from '../../application/users/delete-user.js';
import { GetUser } from '../../application/users/get-user.js';
import { ListUsers } from '../../application/users/list-users.js';
import { PatchUser } from '../../application/users/patch-user.js';
import { RegisterUser } from '../../application/users/register-user.js';
import { ReplaceUser } from '../../application/users/replace-user.js';
import { UpdateUser } from '../../application/users/update-user.js';
import { PurgeDeletedUsers } from '../../application/users/purge-deleted-users.js';
import { RestoreUser } from '../../application/users/restore-user.js';
import type { Config } from '../config.js';
import { repeatEvery } from './repeat-every.js';
import { TOKENS as T, type BackgroundJob } from './tokens.js';

/** Purges soft-deleted users past the restore window every `seconds` (never when 0), one run at a time. */
function schedulePurge(purge: Pick<PurgeDeletedUsers, 'execute'>, seconds: number, logger: Logger): BackgroundJob {
  return repeatEvery(
    seconds * 1000,
    async () => {
      const { purged, failures } = await purge.execute();
      for (const error of failures) logger.warn({ err: error }, 'user purge: could not delete a user for good');
      if (purged > 0) logger.info({ purged }, 'user purge: deleted users past the restore window');
    },
    (error) => logger.error({ err: error }, 'user purge failed'),
  );
}

/** Accounts: registration, the users CRUD and its routes, and the purge of soft-deleted users. */
export function usersModule(config: Config, logger: Logger): ContainerModule {
  const { deletedUsers } = config.accounts;
  return new ContainerModule(({ bind }) => {
    bind(RegisterUser).toResolvedValue(
      (...a) => new RegisterUser(...a),
      [T.UserStore, T.PasswordHasher, T.IdGenerator, T.Clock, AccountMail, T.UnitOfWork],
    );
    bind(CreateUser).toResolvedValue((r) => new CreateUser(r), [RegisterUser]);
    bind(GetUser).toResolvedValue((u) => new GetUser(u), [T.UserStore]);
    bind(ListUsers).toResolvedValue((u) => new ListUsers(u), [T.UserStore]);
    bind(UpdateUser).toResolvedValue(
      (...a) => new UpdateUser(...a),
      [T.UserStore, T.Clock, RevokeUserSessions, AccountMail, T.UnitOfWork],
    );
    bind(ReplaceUser).toResolvedValue((u) => new ReplaceUser(u), [UpdateUser]);
    bind(PatchUser).toResolvedValue((u) => new PatchUser(u), [UpdateUser]);
    bind(DeleteUser).toResolvedValue((...a) => new DeleteUser(...a), [T.UserStore, RevokeUserSessions, T.Clock]);
    bind(RestoreUser).toResolvedValue((u, c) => new RestoreUser(u, c, deletedUsers), [T.UserStore, T.Clock]);
    bind(PurgeDeletedUsers).toResolvedValue(
      (u, f, c) => new PurgeDeletedUsers(u, f, c, deletedUsers),
      [T.UserStore, DeleteUserFiles, T.Clock],
    );
    bind(T.BackgroundJobs)
      .toResolvedValue((purge) => schedulePurge(purge, deletedUsers.purgeIntervalSeconds, logger), [PurgeDeletedUsers])
      .onDeactivation((job) => job.stop());
    bind(T.Routes).toResolvedValue(
      (createUser, getUser, listUsers, replaceUser, patchUser, deleteUser, restoreUser) => (api) =>
        usersRoutes(api, { createUser, getUser, listUsers, replaceUser, patchUser, deleteUser, restoreUser }),
      [CreateUser, GetUser, ListUsers, ReplaceUser, PatchUser, DeleteUser, RestoreUser],
    );
  });
}
