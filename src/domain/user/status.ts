export const USER_STATUSES = ['active', 'disabled'] as const;
/** The account's own state, kept through a soft delete (a restored user comes back as they were). */
export type UserStatus = (typeof USER_STATUSES)[number];

/** What the admin list filters on: the account's status, or `deleted` for soft-deleted users. */
export const LIST_STATUSES = ['active', 'disabled', 'deleted'] as const;
export type ListStatus = (typeof LIST_STATUSES)[number];

export const listStatusOf = (user: { status: UserStatus; deletedAt: Date | null }): ListStatus =>
  user.deletedAt === null ? user.status : 'deleted';
