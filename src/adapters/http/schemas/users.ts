import { z } from 'zod';
import { ROLES } from '../../../domain/user/role.js';
import { LIST_STATUSES, USER_STATUSES } from '../../../domain/user/status.js';
import { USER_SORTS } from '../../../domain/user/user-list.js';
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
    status: z
      .enum(USER_STATUSES)
      .meta({ description: '`disabled`: no sign-in and no token works until an admin re-enables it' }),
    deletedAt: z.iso.datetime().nullable().meta({
      description:
        'Set when soft-deleted (only admins see such users); restorable for USER_RESTORE_DAYS after it, then deleted for good',
    }),
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
  status: user.status,
  deletedAt: user.deletedAt?.toISOString() ?? null,
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
  cursor: plainText()
    .min(1)
    .max(1024)
    .optional()
    .meta({ description: 'Opaque; pass back `nextCursor` unchanged, with the same sort and filters' }),
  email: emailLookupField.optional().meta({ description: 'Exact match, after trimming and lower-casing' }),
  role: z.enum(ROLES).optional(),
  status: z
    .enum(LIST_STATUSES)
    .optional()
    .meta({ description: 'Without it: active and disabled users; `deleted` lists only soft-deleted ones' }),
  q: plainText()
    .min(1)
    .max(254)
    .optional()
    .meta({ description: 'Case-insensitive prefix of the email or of the name' }),
  createdAfter: z.iso
    .datetime({ offset: true })
    .optional()
    .meta({ description: 'Created strictly after this instant' }),
  createdBefore: z.iso
    .datetime({ offset: true })
    .optional()
    .meta({ description: 'Created strictly before this instant' }),
  sort: z
    .enum(USER_SORTS)
    .default('createdAt')
    .meta({ description: 'A field, descending with a leading `-`; ties are broken by id' }),
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
    status: z
      .enum(USER_STATUSES)
      .optional()
      .meta({ description: 'Admins only; anyone else gets 403. `disabled` ends every session of the user at once' }),
  })
  .meta({ id: 'UserMergePatch' });
