import { expect } from 'chai';
import { send, type Answer } from './http-client.js';
import type { Portico } from './portico.js';

interface TokenPair {
  accessToken: string;
  refreshToken: string;
}

/**
 * After a race between sign-ins and a disable or delete, and the user's re-enabling or restore:
 * every token pair from before the race, and every pair a racing login (the first `logins` answers)
 * or refresh got, must stay dead: access token and refresh token both 401.
 */
export async function expectEveryPairDead(
  app: Portico,
  before: TokenPair[],
  raced: Answer[],
  { logins, when }: { logins: number; when: string },
): Promise<void> {
  const pairs = [
    ...before.map((pair, i) => ({ pair, from: `session ${i} from before` })),
    ...raced.flatMap((res, i) =>
      res.status === 200
        ? [
            {
              pair: res.body as unknown as TokenPair,
              from: i < logins ? `racing login ${i}` : `racing refresh ${i - logins}`,
            },
          ]
        : [],
    ),
  ];
  for (const { pair, from } of pairs) {
    const me = await send(app, 'GET', '/v1/auth/me', { token: pair.accessToken });
    expect(me.status, `${when}, ${from}: access token`).to.equal(401);
    const refresh = await send(app, 'POST', '/v1/auth/refresh', { json: { refreshToken: pair.refreshToken } });
    expect(refresh.status, `${when}, ${from}: refresh token`).to.equal(401);
  }
}
