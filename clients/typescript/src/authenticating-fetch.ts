import type { Session } from './session.js';

const isUnauthenticated = async (response: Response) => {
  try {
    const body = (await response.clone().json()) as { code?: unknown };
    return body.code === 'AUTH.UNAUTHENTICATED';
  } catch {
    return false;
  }
};

const withBearer = (request: Request, accessToken: string | undefined) => {
  if (accessToken) request.headers.set('Authorization', `Bearer ${accessToken}`);
  return request;
};

/**
 * fetch with the session's access token; a 401 `AUTH.UNAUTHENTICATED` refreshes the session (one
 * refresh for any number of concurrent calls) and sends the request once more with the new token.
 * A request carrying its own Authorization header is sent as it is.
 */
export function authenticatingFetch(session: Session, baseFetch: (request: Request) => Promise<Response>) {
  return async (request: Request): Promise<Response> => {
    const accessToken = session.tokens?.accessToken;
    if (!accessToken || request.headers.has('Authorization')) return baseFetch(request);
    // The body of a request can be read once; the copy is what a retry sends.
    const copy = request.clone();
    const response = await baseFetch(withBearer(request, accessToken));
    if (response.status !== 401 || !(await isUnauthenticated(response))) return response;
    if (!(await session.refresh(accessToken))) return response;
    await response.body?.cancel();
    return baseFetch(withBearer(copy, session.tokens?.accessToken));
  };
}
