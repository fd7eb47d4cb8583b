import { expect } from 'chai';
import type { ListAdmin } from './users-list-admin.js';
import { WORDS, aTag, expected, type Made, type Query } from './users-list.js';

const caseOf = (text: string, i: number) =>
  i % 3 === 0 ? text.toUpperCase() : i % 3 === 1 ? text : text[0]!.toUpperCase() + text.slice(1);

/**
 * For a describe block: ten users under one fresh tag, made before the block, with every role, status
 * and name case (three disabled, three deleted, distinct createdAt). `made` is filled once the hook ran.
 */
export function useUserSet({ make, disable, remove, walk }: ListAdmin) {
  const tag = aTag();
  const made: Made[] = [];

  before(async () => {
    for (let i = 0; i < WORDS.length; i++) {
      made.push(
        await make({
          email: `${tag}.${WORDS[(i * 7) % 10]}@example.com`,
          name: `${caseOf(tag, i)} ${caseOf(WORDS[(i * 3) % 10]!, i + 1)}`,
          role: i % 4 === 0 ? 'admin' : 'user',
        }),
      );
    }
    for (const i of [2, 5, 7]) await disable(made[i]!);
    for (const i of [3, 7, 8]) await remove(made[i]!);
    const times = made.map((u) => u.createdAt);
    expect(new Set(times).size, 'distinct createdAt').to.equal(times.length);
  });

  /** The single big page and the walk two by two both answer exactly what the contract selects. */
  async function expectListed(query: Query) {
    const want = expected(made, query);
    expect(await walk(query, 100), `one page of ${JSON.stringify(query)}`).to.deep.equal(want);
    expect(await walk(query, 2), `pages of 2 of ${JSON.stringify(query)}`).to.deep.equal(want);
  }

  return { tag, made, expectListed };
}
