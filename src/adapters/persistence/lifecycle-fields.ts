/**
 * The stored fields a write over a version the caller never read must leave alone (see UserStore):
 * a write made from a stale read never re-enables, restores or un-deletes a user. The same for the
 * SQL row and the Mongo document, whose field names agree.
 */
export function withoutLifecycle<T extends { status?: unknown; deletedAt?: unknown; listStatus?: unknown }>(
  fields: T,
): Omit<T, 'status' | 'deletedAt' | 'listStatus'> {
  const { status: _s, deletedAt: _d, listStatus: _l, ...rest } = fields;
  return rest;
}

/** The written user as stored: the status and deletion of the newer version it was written over. */
export function keepLifecycle(
  user: { status: unknown; deletedAt: unknown },
  current: { status?: unknown; deletedAt?: unknown },
): void {
  Object.assign(user, { status: current.status, deletedAt: current.deletedAt });
}
