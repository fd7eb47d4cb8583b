import { randomBytes } from 'node:crypto';

export const SORTS = ['createdAt', '-createdAt', 'email', '-email', 'name', '-name'] as const;
export const WORDS = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy'];

export type Query = Record<string, string>;

/** A user as the test made it, to compute by hand what each list must answer. */
export interface Made {
  id: string;
  email: string;
  name: string;
  role: 'user' | 'admin';
  status: 'active' | 'disabled';
  deleted: boolean;
  createdAt: string;
}

/** Letters and digits no other user of the run starts with, with letters in it so case can vary. */
export const aTag = () => `kq${randomBytes(5).toString('hex')}`;

const listStatus = (u: Made) => (u.deleted ? 'deleted' : u.status);

/** The users of `made` that `query` selects, in its order, as the contract describes them. */
export function expected(made: Made[], query: Query): string[] {
  const q = query.q?.toLowerCase();
  const selected = made.filter(
    (u) =>
      (query.status ? listStatus(u) === query.status : !u.deleted) &&
      (!query.role || u.role === query.role) &&
      (q === undefined || u.email.startsWith(q) || u.name.toLowerCase().startsWith(q)) &&
      (!query.createdAfter || u.createdAt > query.createdAfter) &&
      (!query.createdBefore || u.createdAt < query.createdBefore),
  );
  const sort = query.sort ?? 'createdAt';
  const field = sort.replace(/^-/, '') as 'createdAt' | 'email' | 'name';
  const key = (u: Made) => (field === 'name' ? u.name.toLowerCase() : u[field]);
  const sign = sort.startsWith('-') ? -1 : 1;
  return selected.sort((a, b) => sign * (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)).map((u) => u.id);
}
