import { ContainerModule } from 'inversify';
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
import { TOKENS as T } from './tokens.js';

/** Accounts: registration, the users CRUD and its routes. */
export function usersModule(): ContainerModule {
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
    bind(DeleteUser).toResolvedValue(
      (...a) => new DeleteUser(...a),
      [T.UserStore, DeleteUserFiles, RevokeUserSessions],
    );
    bind(T.Routes).toResolvedValue(
      (createUser, getUser, listUsers, replaceUser, patchUser, deleteUser) => (api) =>
        usersRoutes(api, { createUser, getUser, listUsers, replaceUser, patchUser, deleteUser }),
      [CreateUser, GetUser, ListUsers, ReplaceUser, PatchUser, DeleteUser],
    );
  });
}
