import { z } from 'zod';
import { ROLES } from '../../../domain/user/role.js';
import { hasTotp, type User } from '../../../domain/user/user.js';
import { emailField, emailLookupField, nameField, newPasswordField, plainText, profileField } from './common.js';

export const UserSchema = z
  .object({
    id: z.uuid(),
    email: z.string().meta({ format: 'idn-email' }),
    name: z.string(),
    role: z.enum(ROLES),
    profile: z.record(z.string(), z.unknown()),
    emailVerifiedAt: z.iso
      .datetime()
      .nullable()
      .meta({ description: 'When the owner followed a link mailed to this address; null until then' }),
    mfa: z.object({ totp: z.boolean().meta({ description: 'A TOTP code is required at login' }) }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'User' });

export type UserView = z.infer<typeof UserSchema>;

/** Field by field, never a spread: whatever else `User` holds (the hash) stays inside. */
export const toUserView = (user: User): UserView => ({
  id: user.id,
  email: user.email,
  name: user.name,
  role: user.role,
  profile: user.profile,
  emailVerifiedAt: user.emailVerifiedAt?.toISOString() ?? null,
  mfa: { totp: hasTotp(user) },
  createdAt: user.createdAt.toISOString(),
  updatedAt: user.updatedAt.toISOString(),
});

export const UserEnvelope = z.object({ user: UserSchema }).meta({ id: 'UserEnvelope' });

export const UserPageSchema = z
  .object({ items: z.array(UserSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'UserPage' });

/** Unknown query parameters are ignored (caches and proxies add their own); known ones are checked. */
export const ListUsersQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: plainText().min(1).max(512).optional().meta({ description: 'Opaque; pass back `nextCursor` unchanged' }),
  email: emailLookupField.optional().meta({ description: 'Exact match, after trimming and lower-casing' }),
});

export const CreateUserBody = z
  .strictObject({
    email: emailField,
    password: newPasswordField,
    name: nameField,
    role: z.enum(ROLES).optional(),
    profile: profileField.optional(),
  })
  .meta({ id: 'CreateUserRequest' });

export const ReplaceUserBody = z
  .strictObject({ email: emailField, name: nameField, profile: profileField })
  .meta({ id: 'ReplaceUserRequest' });

/** RFC 7396: `profile: null` clears it and null members inside remove keys; email and name cannot be removed. */
export const PatchUserBody = z
  .strictObject({
    email: emailField.optional(),
    name: nameField.optional(),
    profile: profileField.nullable().optional(),
    role: z.enum(ROLES).optional().meta({ description: 'Admins only; anyone else gets 403' }),
  })
  .meta({ id: 'UserMergePatch' });
