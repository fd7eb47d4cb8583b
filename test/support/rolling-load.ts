import { randomBytes } from 'node:crypto';

export interface Answer {
  status: number;
  text: string;
  body: Record<string, any>;
}

/** fetch, read whole; a request that gets no answer at all is status 0 with the error's message. */
export async function call(url: string, init: RequestInit = {}): Promise<Answer> {
  try {
    const res = await fetch(url, init);
    const text = await res.text();
    return { status: res.status, text, body: text.startsWith('{') ? JSON.parse(text) : {} };
  } catch (error) {
    return { status: 0, text: (error as Error).message, body: {} };
  }
}
export const postJson = (body: object): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});
export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export interface LoadTally {
  gets: number;
  getFailures: string[];
  posts: number;
  postFailures: string[];
  /** The ids of the users whose registration was answered 201. */
  created: string[];
}

/**
 * A bounded load on `url` until stopped: `readers` loops reading one user (`GET /v1/users/{id}` with its
 * token) and `writers` loops registering new users, each waiting for its answer before the next request.
 */
export function startLoad(url: string, reader: { id: string; token: string }, readers = 3, writers = 2) {
  const tally: LoadTally = { gets: 0, getFailures: [], posts: 0, postFailures: [], created: [] };
  let running = true;
  const failure = (res: Answer) => `${res.status} ${res.text.slice(0, 120)}`;
  const read = async () => {
    while (running) {
      const res = await call(`${url}/v1/users/${reader.id}`, { headers: bearer(reader.token) });
      tally.gets++;
      if (res.status !== 200) tally.getFailures.push(failure(res));
    }
  };
  const write = async () => {
    while (running) {
      const email = `load-${randomBytes(6).toString('hex')}@example.com`;
      const res = await call(`${url}/v1/auth/register`, postJson({ email, password: 'rolling pw 1', name: 'R' }));
      tally.posts++;
      if (res.status === 201) tally.created.push(res.body.user.id as string);
      else tally.postFailures.push(failure(res));
    }
  };
  const loops = [...Array.from({ length: readers }, read), ...Array.from({ length: writers }, write)];
  return {
    stop: async (): Promise<LoadTally> => {
      running = false;
      await Promise.all(loops);
      return tally;
    },
  };
}
