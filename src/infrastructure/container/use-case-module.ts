import { ContainerModule } from 'inversify';
import { activeUsersFromStores } from '../../application/auth/active-users-from-stores.js';
import { Authenticate } from '../../application/auth/authenticate.js';
import { ChangePassword } from '../../application/auth/change-password.js';
import { EnsureAdmin } from '../../application/auth/ensure-admin.js';
import { Login } from '../../application/auth/login.js';
import { CreateUser } from '../../application/users/create-user.js';
import { DeleteUserFiles } from '../../application/files/delete-user-files.js';
import { DeleteUser } from '../../application/users/delete-user.js';
import { GetUser } from '../../application/users/get-user.js';
import { ListUsers } from '../../application/users/list-users.js';
import { PatchUser } from '../../application/users/patch-user.js';
import { RegisterUser } from '../../application/users/register-user.js';
import { ReplaceUser } from '../../application/users/replace-user.js';
import { UpdateUser } from '../../application/users/update-user.js';
import type { RevokeUserSessions } from '../../application/sessions/revoke-user-sessions.js';
import type { FileCatalog } from '../../domain/ports/file-catalog.js';
import type { FileStore } from '../../domain/ports/file-store.js';
import { TOKENS as T } from '../tokens.js';

export const useCaseModule = new ContainerModule(({ bind, isBound }) => {
  bind(T.RegisterUser).toResolvedValue((...a) => new RegisterUser(...a), [T.UserStore, T.PasswordHasher, T.IdGenerator, T.Clock]);
  bind(T.CreateUser).toResolvedValue((r) => new CreateUser(r), [T.RegisterUser]);
  bind(T.Login).toResolvedValue((...a) => new Login(...a), [T.UserStore, T.PasswordHasher, T.TokenService, T.StartSession, T.LoginThrottle]);
  // SQL persistence binds a one-statement lookup; other stores answer with two.
  if (!isBound(T.ActiveUsers)) bind(T.ActiveUsers).toResolvedValue((...a) => activeUsersFromStores(...a), [T.UserStore, T.RefreshTokenStore]);
  bind(T.Authenticate).toResolvedValue((...a) => new Authenticate(...a), [T.TokenService, T.ActiveUsers]);
  bind(T.ChangePassword).toResolvedValue(
    (users, hasher, clock, revoke: RevokeUserSessions) => new ChangePassword(users, hasher, clock, [(id) => revoke.execute(id)]),
    [T.UserStore, T.PasswordHasher, T.Clock, T.RevokeUserSessions],
  );
  bind(T.EnsureAdmin).toResolvedValue((...a) => new EnsureAdmin(...a), [T.UserStore, T.RegisterUser]);
  bind(T.GetUser).toResolvedValue((u) => new GetUser(u), [T.UserStore]);
  bind(T.ListUsers).toResolvedValue((u) => new ListUsers(u), [T.UserStore]);
  bind(T.UpdateUser).toResolvedValue(
    (users, clock, revoke: RevokeUserSessions) => new UpdateUser(users, clock, [(id) => revoke.execute(id)]),
    [T.UserStore, T.Clock, T.RevokeUserSessions],
  );
  bind(T.ReplaceUser).toResolvedValue((u) => new ReplaceUser(u), [T.UpdateUser]);
  bind(T.PatchUser).toResolvedValue((u) => new PatchUser(u), [T.UpdateUser]);
  // Files first, bytes then rows: a failure leaves the user (and their sessions) in place to retry.
  // The persistence module, loaded before this one, binds a FileCatalog for every DB_DRIVER (Mongo too).
  if (!isBound(T.FileCatalog)) {
    bind(T.DeleteUser).toResolvedValue((users, revoke: RevokeUserSessions) => new DeleteUser(users, [(id) => revoke.execute(id)]), [T.UserStore, T.RevokeUserSessions]);
    return;
  }
  bind(T.DeleteUser).toResolvedValue(
    (users, revoke: RevokeUserSessions, catalog: FileCatalog, store: FileStore) => {
      const files = new DeleteUserFiles(catalog, store);
      return new DeleteUser(users, [(id) => files.execute(id), (id) => revoke.execute(id)]);
    },
    [T.UserStore, T.RevokeUserSessions, T.FileCatalog, T.FileStore],
  );
});
